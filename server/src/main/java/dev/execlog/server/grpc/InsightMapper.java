package dev.execlog.server.grpc;

import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.ops.ChangeFeed;
import dev.execlog.server.ops.DependencyChecker;
import dev.execlog.server.ops.LineageGraph;
import dev.execlog.server.ops.LineageWalker;
import dev.execlog.server.ops.TaskStatistics;
import dev.execlog.server.store.LogChange;
import dev.execlog.v1.ChangeKind;
import dev.execlog.v1.CheckDependenciesRequest;
import dev.execlog.v1.CheckDependenciesResponse;
import dev.execlog.v1.DependencyState;
import dev.execlog.v1.DependencyStatus;
import dev.execlog.v1.ExecutionChange;
import dev.execlog.v1.ExecutionStatistics;
import dev.execlog.v1.GetLineageRequest;
import dev.execlog.v1.GetLineageResponse;
import dev.execlog.v1.GetTaskStatisticsResponse;
import dev.execlog.v1.LineageEdge;
import dev.execlog.v1.LineageNode;
import dev.execlog.v1.StatisticsBucket;
import dev.execlog.v1.TimeBucket;
import dev.execlog.v1.WatchExecutionsRequest;
import dev.execlog.v1.WatchExecutionsResponse;
import dev.execlog.v1.WatchLagged;
import dev.execlog.v1.WatchStarted;

/** Converts dependency checks, lineage, statistics and the change feed between the wire and the domain. */
final class InsightMapper {

  private InsightMapper() {}

  static DependencyStatus toProto(DependencyChecker.Status s) {
    DependencyStatus.Builder b = DependencyStatus.newBuilder()
        .setTaskId(s.taskId())
        .setState(switch (s.state()) {
          case SATISFIED -> DependencyState.DEPENDENCY_STATE_SATISFIED;
          case NEVER_RUN -> DependencyState.DEPENDENCY_STATE_NEVER_RUN;
          case FAILED -> DependencyState.DEPENDENCY_STATE_FAILED;
          case STALE -> DependencyState.DEPENDENCY_STATE_STALE;
          case OUTPUTS_MISSING -> DependencyState.DEPENDENCY_STATE_OUTPUTS_MISSING;
        })
        .setMessage(s.message())
        .addAllMissingOutputPaths(s.missingOutputs());
    if (s.latestSuccess() != null) {
      b.setLatestSuccess(ProtoMapper.toProto(s.latestSuccess()));
    }
    if (s.latest() != null) {
      b.setLatest(ProtoMapper.toProto(s.latest()));
    }
    return b.build();
  }

  static DependencyChecker.Conditions fromProto(CheckDependenciesRequest r) {
    Long maxAge = r.hasMaxAge() ? (long) (ProtoMapper.toSeconds(r.getMaxAge(), "max_age") * 1_000_000L) : null;
    return new DependencyChecker.Conditions(maxAge, r.getRequireLatestSuccess(),
        r.getNewerThanCase() == CheckDependenciesRequest.NewerThanCase.NEWER_THAN_TASK_ID ? r.getNewerThanTaskId() : null,
        r.getNewerThanCase() == CheckDependenciesRequest.NewerThanCase.NEWER_THAN_RUN_ID ? r.getNewerThanRunId() : null,
        r.getRequireOutputsExist());
  }

  static LineageWalker.Query fromProto(GetLineageRequest r) {
    LineageWalker.Start start = switch (r.getStartCase()) {
      case TASK_ID -> new LineageWalker.Start(r.getTaskId(), null, null);
      case RUN_ID -> new LineageWalker.Start(null, r.getRunId(), null);
      case PATH -> new LineageWalker.Start(null, null, r.getPath());
      case START_NOT_SET -> null;
    };
    LineageWalker.Direction direction = switch (r.getDirection()) {
      case LINEAGE_DIRECTION_UPSTREAM -> LineageWalker.Direction.UPSTREAM;
      case LINEAGE_DIRECTION_DOWNSTREAM -> LineageWalker.Direction.DOWNSTREAM;
      case LINEAGE_DIRECTION_BOTH, LINEAGE_DIRECTION_UNSPECIFIED -> LineageWalker.Direction.BOTH;
      case UNRECOGNIZED -> throw ExecLogException.invalid("direction", "unknown direction");
    };
    LineageWalker.Level level = switch (r.getLevel()) {
      case LINEAGE_LEVEL_RUN -> LineageWalker.Level.RUN;
      case LINEAGE_LEVEL_TASK, LINEAGE_LEVEL_UNSPECIFIED -> LineageWalker.Level.TASK;
      case UNRECOGNIZED -> throw ExecLogException.invalid("level", "unknown level");
    };
    return LineageWalker.query(start, direction, r.getDepth(), level, r.getMaxNodes());
  }

  static GetLineageResponse toProto(LineageGraph g) {
    GetLineageResponse.Builder b = GetLineageResponse.newBuilder()
        .setStartNodeId(g.startId()).setTruncated(g.truncated());
    for (LineageGraph.Node n : g.nodes()) {
      LineageNode.Builder node = LineageNode.newBuilder().setId(n.id()).setDistance(n.distance());
      if (n.task() != null) {
        node.setTask(ProtoMapper.toProto(n.task()));
      } else if (n.run() != null) {
        node.setRun(ProtoMapper.toProto(n.run()));
      } else {
        node.setPath(n.path());
      }
      b.addNodes(node);
    }
    for (LineageGraph.Edge e : g.edges()) {
      b.addEdges(LineageEdge.newBuilder().setSourceNodeId(e.source()).setTargetNodeId(e.target()).setPath(e.path()));
    }
    return b.build();
  }

  static TaskStatistics.Bucket fromProto(TimeBucket bucket) {
    return switch (bucket) {
      case TIME_BUCKET_UNSPECIFIED -> TaskStatistics.Bucket.NONE;
      case TIME_BUCKET_HOUR -> TaskStatistics.Bucket.HOUR;
      case TIME_BUCKET_DAY -> TaskStatistics.Bucket.DAY;
      case TIME_BUCKET_WEEK -> TaskStatistics.Bucket.WEEK;
      case UNRECOGNIZED -> throw ExecLogException.invalid("bucket", "unknown bucket width");
    };
  }

  static GetTaskStatisticsResponse toProto(TaskStatistics.Report r) {
    GetTaskStatisticsResponse.Builder b = GetTaskStatisticsResponse.newBuilder().setTotal(toProto(r.total()));
    r.tasks().forEach(t -> b.addTasks(toProto(t)));
    return b.build();
  }

  private static dev.execlog.v1.TaskStatistics toProto(TaskStatistics.TaskFigures t) {
    dev.execlog.v1.TaskStatistics.Builder b = dev.execlog.v1.TaskStatistics.newBuilder()
        .setTaskId(t.taskId()).setOverall(toProto(t.overall()));
    for (TaskStatistics.BucketFigures f : t.buckets()) {
      b.addBuckets(StatisticsBucket.newBuilder().setStartTime(ProtoMapper.toTimestamp(f.startMicros()))
          .setEndTime(ProtoMapper.toTimestamp(f.endMicros())).setStatistics(toProto(f.figures())));
    }
    return b.build();
  }

  private static ExecutionStatistics toProto(TaskStatistics.Figures f) {
    ExecutionStatistics.Builder b = ExecutionStatistics.newBuilder()
        .setRunCount(f.runCount()).setSuccessCount(f.successCount()).setSuccessRate(f.successRate());
    if (f.runCount() > 0) {
      b.setMeanDuration(ProtoMapper.toDuration(f.meanSeconds())).setP50Duration(ProtoMapper.toDuration(f.p50Seconds()))
          .setP95Duration(ProtoMapper.toDuration(f.p95Seconds())).setMaxDuration(ProtoMapper.toDuration(f.maxSeconds()));
    }
    return b.build();
  }

  static ChangeFeed.Filter fromProto(WatchExecutionsRequest r) {
    return new ChangeFeed.Filter(r.getTaskId(), r.getTaskType(), r.hasSuccess() ? r.getSuccess() : null);
  }

  /** Where the request asks to resume, or null; a sequence without its feed id is a bad field. */
  static ChangeFeed.Resume resumeFromProto(WatchExecutionsRequest r) {
    if (!r.hasAfterSequence()) {
      return null;
    }
    if (r.getFeedId().isEmpty()) {
      throw ExecLogException.invalid("feed_id", "after_sequence needs the feed_id of the watch it came from");
    }
    return new ChangeFeed.Resume(r.getFeedId(), r.getAfterSequence());
  }

  static WatchExecutionsResponse watchStarted(long sequence, boolean resumed, String feedId) {
    return WatchExecutionsResponse.newBuilder().setStarted(WatchStarted.newBuilder().setSequence(sequence)
        .setResumed(resumed).setFeedId(feedId)).build();
  }

  static WatchExecutionsResponse watchLagged(long lastDelivered) {
    return WatchExecutionsResponse.newBuilder()
        .setLagged(WatchLagged.newBuilder().setLastDeliveredSequence(lastDelivered)).build();
  }

  static WatchExecutionsResponse toProto(LogChange c) {
    ChangeKind kind = switch (c.kind()) {
      case RECORDED -> ChangeKind.CHANGE_KIND_RECORDED;
      case UPDATED -> ChangeKind.CHANGE_KIND_UPDATED;
      case REMOVED -> ChangeKind.CHANGE_KIND_REMOVED;
    };
    return WatchExecutionsResponse.newBuilder().setChange(ExecutionChange.newBuilder()
        .setKind(kind).setExecution(ProtoMapper.toProto(c.execution())).setSequence(c.sequence())).build();
  }

  /** The answer of CheckDependencies; RESPONSE_TOO_LARGE when the dependencies' runs do not fit in one. */
  static CheckDependenciesResponse toProto(DependencyChecker.Report report) {
    CheckDependenciesResponse.Builder b = CheckDependenciesResponse.newBuilder().setSatisfied(report.satisfied());
    ResponseBudget budget = ResponseBudget.standard();
    for (DependencyChecker.Status s : report.dependencies()) {
      DependencyStatus message = toProto(s);
      budget.require(message, "task_ids", "the dependencies' newest runs are too heavy to answer at once: ask about"
          + " fewer tasks per call (the first " + b.getDependenciesCount() + " fit)");
      b.addDependencies(message);
    }
    return b.build();
  }
}
