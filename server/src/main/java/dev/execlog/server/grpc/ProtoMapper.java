package dev.execlog.server.grpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.execlog.server.json.JsonValues;
import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import dev.execlog.server.model.TaskSummary;
import dev.execlog.server.ops.ChangeFeed;
import dev.execlog.server.ops.CleanupOperation;
import dev.execlog.server.ops.DependencyChecker;
import dev.execlog.server.ops.LineageGraph;
import dev.execlog.server.ops.LineageWalker;
import dev.execlog.server.ops.LogExporter;
import dev.execlog.server.ops.LogImporter;
import dev.execlog.server.ops.LogValidator;
import dev.execlog.server.ops.TaskStatistics;
import dev.execlog.server.store.HistoryPage;
import dev.execlog.server.store.HistoryQuery;
import dev.execlog.server.store.LogChange;
import dev.execlog.server.store.LogInfo;
import dev.execlog.server.store.RecordOutcome;
import dev.execlog.v1.ChangeKind;
import dev.execlog.v1.CheckDependenciesRequest;
import dev.execlog.v1.CheckDependenciesResponse;
import dev.execlog.v1.CleanupExecutionsResponse;
import dev.execlog.v1.CleanupResult;
import dev.execlog.v1.CleanupRule;
import dev.execlog.v1.DeleteExecutionResponse;
import dev.execlog.v1.DependencyState;
import dev.execlog.v1.DependencyStatus;
import dev.execlog.v1.ExecutionChange;
import dev.execlog.v1.ExecutionStatistics;
import dev.execlog.v1.ExportChunk;
import dev.execlog.v1.ExportFormat;
import dev.execlog.v1.ExportLogResponse;
import dev.execlog.v1.ExportResult;
import dev.execlog.v1.FindOutputProducerResponse;
import dev.execlog.v1.GetExecutionResponse;
import dev.execlog.v1.GetLatestExecutionResponse;
import dev.execlog.v1.GetLineageRequest;
import dev.execlog.v1.GetLineageResponse;
import dev.execlog.v1.GetLogInfoResponse;
import dev.execlog.v1.GetTaskStatisticsResponse;
import dev.execlog.v1.ImportLogResponse;
import dev.execlog.v1.ImportMode;
import dev.execlog.v1.ImportResult;
import dev.execlog.v1.LineageEdge;
import dev.execlog.v1.LineageNode;
import dev.execlog.v1.ListExecutionsRequest;
import dev.execlog.v1.ListExecutionsResponse;
import dev.execlog.v1.ListTasksResponse;
import dev.execlog.v1.Progress;
import dev.execlog.v1.RecordExecutionResponse;
import dev.execlog.v1.RemovedRuns;
import dev.execlog.v1.StatisticsBucket;
import dev.execlog.v1.TimeBucket;
import dev.execlog.v1.TrackInputFilesResponse;
import dev.execlog.v1.TrackOutputFilesResponse;
import dev.execlog.v1.UpdateExecutionResponse;
import dev.execlog.v1.ValidateLogResponse;
import dev.execlog.v1.ValidationProblem;
import dev.execlog.v1.ValidationResult;
import dev.execlog.v1.WatchExecutionsRequest;
import dev.execlog.v1.WatchExecutionsResponse;
import dev.execlog.v1.WatchLagged;
import dev.execlog.v1.WatchStarted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Converts between the wire messages and the domain model; the only place that knows both. */
final class ProtoMapper {

  private static final long MAX_SECONDS = 253_402_300_799L; // 9999-12-31T23:59:59Z

  private ProtoMapper() {}

  static dev.execlog.v1.Execution toProto(Execution run) {
    dev.execlog.v1.Execution.Builder b = dev.execlog.v1.Execution.newBuilder()
        .setRunId(run.runId())
        .setTaskId(run.taskId())
        .setTaskType(run.taskType())
        .setSuccess(run.success())
        .setDuration(toDuration(run.executionTimeSeconds()))
        .setIntegerExecutionTime(run.integerExecutionTime())
        .setReportPath(run.reportPath())
        .setHostname(run.hostname())
        .putAllExtraFields(toJsonTexts(run.extraFields()));
    if (run.hasValidTime()) {
      b.setRecordTime(toTimestamp(run.recordTimeMicros()));
    }
    for (InputFile f : run.inputFiles()) {
      b.addInputFiles(dev.execlog.v1.InputFile.newBuilder().setName(f.name()).setPath(f.path())
          .putAllExtraFields(toJsonTexts(f.extraFields())));
    }
    for (OutputFile f : run.outputFiles()) {
      b.addOutputFiles(dev.execlog.v1.OutputFile.newBuilder()
          .setPath(f.path()).setType(f.type()).setDescription(f.description())
          .putAllExtraFields(toJsonTexts(f.extraFields())));
    }
    return b.build();
  }

  /** A draft run from a request: paths raw, time {@link Execution#INVALID_TIME} when not sent. */
  static Execution fromProto(dev.execlog.v1.Execution e, String prefix) {
    List<InputFile> inputs = new ArrayList<>(e.getInputFilesCount());
    for (int i = 0; i < e.getInputFilesCount(); i++) {
      dev.execlog.v1.InputFile f = e.getInputFiles(i);
      inputs.add(new InputFile(f.getName(), f.getPath(),
          fromJsonTexts(f.getExtraFieldsMap(), prefix + ".input_files[" + i + "].extra_fields")));
    }
    List<OutputFile> outputs = new ArrayList<>(e.getOutputFilesCount());
    for (int i = 0; i < e.getOutputFilesCount(); i++) {
      dev.execlog.v1.OutputFile f = e.getOutputFiles(i);
      outputs.add(new OutputFile(f.getPath(), f.getType(), f.getDescription(),
          fromJsonTexts(f.getExtraFieldsMap(), prefix + ".output_files[" + i + "].extra_fields")));
    }
    long time = e.hasRecordTime() ? toMicros(e.getRecordTime(), prefix + ".record_time") : Execution.INVALID_TIME;
    double seconds = e.hasDuration() ? toSeconds(e.getDuration(), prefix + ".duration") : 0;
    return Execution.builder(e.getRunId(), e.getTaskId())
        .taskType(e.getTaskType())
        .recordTimeMicros(time)
        .success(e.getSuccess())
        .executionTime(seconds, e.getIntegerExecutionTime())
        .reportPath(e.getReportPath())
        .inputFiles(inputs)
        .outputFiles(outputs)
        .hostname(e.getHostname())
        .extraFields(fromJsonTexts(e.getExtraFieldsMap(), prefix + ".extra_fields"))
        .build();
  }

  private static Map<String, String> toJsonTexts(Map<String, JsonNode> values) {
    Map<String, String> texts = new LinkedHashMap<>();
    values.forEach((k, v) -> texts.put(k, JsonValues.text(v)));
    return texts;
  }

  /** Parses each value; the keys are checked by the run validator, which knows the limits. */
  private static Map<String, JsonNode> fromJsonTexts(Map<String, String> texts, String field) {
    Map<String, JsonNode> values = new LinkedHashMap<>();
    // Sorted, so a request with several bad values always names the same one.
    new TreeMap<>(texts).forEach((k, v) -> values.put(k, JsonValues.parse(v, field + "[\"" + k + "\"]")));
    return values;
  }

  static dev.execlog.v1.TaskSummary toProto(TaskSummary s) {
    Execution latest = s.latest();
    dev.execlog.v1.TaskSummary.Builder b = dev.execlog.v1.TaskSummary.newBuilder()
        .setTaskId(s.taskId())
        .setTaskType(latest.taskType())
        .setLastSuccess(latest.success())
        .setLastReportPath(latest.reportPath())
        .setLastRunId(latest.runId())
        .setRunCount(s.runCount());
    if (latest.hasValidTime()) {
      b.setLastRecordTime(toTimestamp(latest.recordTimeMicros()));
    }
    return b.build();
  }

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
      b.setLatestSuccess(toProto(s.latestSuccess()));
    }
    if (s.latest() != null) {
      b.setLatest(toProto(s.latest()));
    }
    return b.build();
  }

  static DependencyChecker.Conditions fromProto(CheckDependenciesRequest r) {
    Long maxAge = r.hasMaxAge() ? (long) (toSeconds(r.getMaxAge(), "max_age") * 1_000_000L) : null;
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
        node.setTask(toProto(n.task()));
      } else if (n.run() != null) {
        node.setRun(toProto(n.run()));
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
      b.addBuckets(StatisticsBucket.newBuilder().setStartTime(toTimestamp(f.startMicros()))
          .setEndTime(toTimestamp(f.endMicros())).setStatistics(toProto(f.figures())));
    }
    return b.build();
  }

  private static ExecutionStatistics toProto(TaskStatistics.Figures f) {
    ExecutionStatistics.Builder b = ExecutionStatistics.newBuilder()
        .setRunCount(f.runCount()).setSuccessCount(f.successCount()).setSuccessRate(f.successRate());
    if (f.runCount() > 0) {
      b.setMeanDuration(toDuration(f.meanSeconds())).setP50Duration(toDuration(f.p50Seconds()))
          .setP95Duration(toDuration(f.p95Seconds())).setMaxDuration(toDuration(f.maxSeconds()));
    }
    return b.build();
  }

  static ChangeFeed.Filter fromProto(WatchExecutionsRequest r) {
    return new ChangeFeed.Filter(r.getTaskId(), r.getTaskType(), r.hasSuccess() ? r.getSuccess() : null);
  }

  static WatchExecutionsResponse watchStarted(long sequence) {
    return WatchExecutionsResponse.newBuilder().setStarted(WatchStarted.newBuilder().setSequence(sequence)).build();
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
        .setKind(kind).setExecution(toProto(c.execution())).setSequence(c.sequence())).build();
  }

  // ------------------------------------------------------------------ responses of the log's operations

  static RecordExecutionResponse toProto(RecordOutcome outcome) {
    return RecordExecutionResponse.newBuilder().setExecution(toProto(outcome.execution()))
        .setAlreadyRecorded(outcome.alreadyRecorded()).build();
  }

  static GetExecutionResponse gotExecution(Execution run) {
    return GetExecutionResponse.newBuilder().setExecution(toProto(run)).build();
  }

  static GetLatestExecutionResponse latestExecution(Execution run) {
    return GetLatestExecutionResponse.newBuilder().setExecution(toProto(run)).build();
  }

  static TrackInputFilesResponse trackedInputs(Execution run) {
    return TrackInputFilesResponse.newBuilder().setExecution(toProto(run)).build();
  }

  static TrackOutputFilesResponse trackedOutputs(Execution run) {
    return TrackOutputFilesResponse.newBuilder().setExecution(toProto(run)).build();
  }

  static UpdateExecutionResponse updatedExecution(Execution run) {
    return UpdateExecutionResponse.newBuilder().setExecution(toProto(run)).build();
  }

  static DeleteExecutionResponse deletedExecution(Execution run) {
    return DeleteExecutionResponse.newBuilder().setExecution(toProto(run)).build();
  }

  static HistoryQuery fromProto(ListExecutionsRequest r) {
    return new HistoryQuery(r.getTaskId().isEmpty() ? null : r.getTaskId(), r.getSuccessOnly(),
        r.hasStartTime() ? toMicros(r.getStartTime(), "start_time") : null,
        r.hasEndTime() ? toMicros(r.getEndTime(), "end_time") : null);
  }

  /** A page of history; heavy runs end it early (with a token) so that it fits in one response. */
  static ListExecutionsResponse toProto(HistoryPage page, HistoryQuery query) {
    ListExecutionsResponse.Builder b = ListExecutionsResponse.newBuilder();
    ResponseBudget budget = ResponseBudget.standard();
    HistoryPage sent = page;
    for (Execution e : page.executions()) {
      dev.execlog.v1.Execution message = toProto(e);
      if (!budget.take(message, b.getExecutionsCount() == 0)) {
        sent = page.firstRuns(b.getExecutionsCount());
        break;
      }
      b.addExecutions(message);
    }
    return b.setNextPageToken(PageTokens.history(sent.next(), query)).build();
  }

  static FindOutputProducerResponse producer(Execution newest) {
    return FindOutputProducerResponse.newBuilder().setExecution(toProto(newest)).build();
  }

  /** Every producer, newest first, as many as {@code max} and one response allow; says when cut. */
  static FindOutputProducerResponse producers(List<Execution> producers, int max) {
    // The newest run is in both fields: mapped once, counted once (it always fits, being the first).
    dev.execlog.v1.Execution newest = toProto(producers.get(0));
    FindOutputProducerResponse.Builder b = FindOutputProducerResponse.newBuilder().setExecution(newest);
    ResponseBudget budget = ResponseBudget.standard();
    budget.take(newest, true);
    b.addProducers(newest);
    for (Execution e : producers.subList(1, Math.max(1, Math.min(producers.size(), max)))) {
      dev.execlog.v1.Execution message = toProto(e);
      if (!budget.take(message, false)) {
        break;
      }
      b.addProducers(message);
    }
    return b.setProducersTruncated(b.getProducersCount() < producers.size()).build();
  }

  /** {@code page} holds one summary more than {@code size} when another page follows. */
  static ListTasksResponse toProto(List<TaskSummary> page, int size) {
    ListTasksResponse.Builder b = ListTasksResponse.newBuilder();
    page.stream().limit(size).forEach(s -> b.addTasks(toProto(s)));
    if (page.size() > size) {
      b.setNextPageToken(PageTokens.tasks(page.get(size - 1).taskId()));
    }
    return b.build();
  }

  static GetLogInfoResponse toProto(LogInfo info, String projectRoot, Long createdMicros, String serverVersion) {
    GetLogInfoResponse.Builder b = GetLogInfoResponse.newBuilder()
        .setPath(info.path().toString())
        .setProjectRoot(projectRoot)
        .setExecutionCount(info.executionCount())
        .setTaskCount(info.taskCount())
        .setSizeBytes(info.sizeBytes())
        .setLastModifiedTime(toTimestamp(info.lastModifiedMicros()))
        .setVersion(info.version())
        .setServerVersion(serverVersion);
    if (createdMicros != null) {
      b.setCreateTime(toTimestamp(createdMicros));
    }
    return b.build();
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

  static CleanupOperation.Rule fromProto(CleanupRule rule) {
    return switch (rule) {
      case CLEANUP_RULE_OLD_AND_BEYOND_COUNT, CLEANUP_RULE_UNSPECIFIED -> CleanupOperation.Rule.OLD_AND_BEYOND_COUNT;
      case CLEANUP_RULE_OLD_OR_BEYOND_COUNT -> CleanupOperation.Rule.OLD_OR_BEYOND_COUNT;
      case UNRECOGNIZED -> throw ExecLogException.invalid("rule", "unknown cleanup rule");
    };
  }

  static CleanupExecutionsResponse cleanupProgress(Progress p) {
    return CleanupExecutionsResponse.newBuilder().setProgress(p).build();
  }

  static CleanupExecutionsResponse removedRuns(List<String> runIds) {
    return CleanupExecutionsResponse.newBuilder().setRemovedRuns(RemovedRuns.newBuilder().addAllRunIds(runIds)).build();
  }

  /** The cleanup's result; its run ids only when at most {@code maxIds} went (they all came as removed_runs). */
  static CleanupExecutionsResponse toProto(CleanupOperation.Result result, int maxIds) {
    List<String> ids = result.removedRunIds();
    CleanupResult.Builder r = CleanupResult.newBuilder().setRemovedCount(ids.size()).setDryRun(result.dryRun());
    if (ids.size() <= maxIds) {
      r.addAllRemovedRunIds(ids);
    }
    return CleanupExecutionsResponse.newBuilder().setResult(r).build();
  }

  static ValidateLogResponse validateProgress(Progress p) {
    return ValidateLogResponse.newBuilder().setProgress(p).build();
  }

  static ValidateLogResponse toProto(LogValidator.Report report) {
    ValidationResult.Builder r = ValidationResult.newBuilder().setValid(report.valid()).setCheckedCount(report.checkedCount());
    report.problems().forEach(p -> r.addProblems(ValidationProblem.newBuilder()
        .setRunId(p.runId()).setTaskId(p.taskId()).setField(p.field()).setMessage(p.message())));
    return ValidateLogResponse.newBuilder().setResult(r).build();
  }

  static LogExporter.Format fromProto(ExportFormat format) {
    return switch (format) {
      case EXPORT_FORMAT_CSV -> LogExporter.Format.CSV;
      case EXPORT_FORMAT_CSV_WITH_FILES -> LogExporter.Format.CSV_WITH_FILES;
      case EXPORT_FORMAT_JSON, EXPORT_FORMAT_UNSPECIFIED -> LogExporter.Format.JSON;
      case UNRECOGNIZED -> throw ExecLogException.invalid("format", "unknown export format");
    };
  }

  static ExportLogResponse exportProgress(Progress p) {
    return ExportLogResponse.newBuilder().setProgress(p).build();
  }

  static ExportLogResponse exportChunk(ByteString bytes) {
    return ExportLogResponse.newBuilder().setChunk(ExportChunk.newBuilder().setData(bytes)).build();
  }

  static ExportLogResponse exported(long executionCount, long sizeBytes, String sha256) {
    return ExportLogResponse.newBuilder().setResult(ExportResult.newBuilder()
        .setExecutionCount(executionCount).setSizeBytes(sizeBytes).setSha256(sha256)).build();
  }

  static ImportLogResponse importProgress(Progress p) {
    return ImportLogResponse.newBuilder().setProgress(p).build();
  }

  static LogImporter.Mode fromProto(ImportMode mode) {
    return mode == ImportMode.IMPORT_MODE_REPLACE ? LogImporter.Mode.REPLACE : LogImporter.Mode.MERGE;
  }

  static ImportLogResponse toProto(LogImporter.Result result) {
    return ImportLogResponse.newBuilder().setResult(ImportResult.newBuilder()
        .setImportedCount(result.importedCount())
        .setSkippedCount(result.skippedCount())
        .setExecutionCount(result.executionCount())
        .setDryRun(result.dryRun())).build();
  }

  static Timestamp toTimestamp(long micros) {
    return Timestamp.newBuilder()
        .setSeconds(Math.floorDiv(micros, 1_000_000L))
        .setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000)
        .build();
  }

  static long toMicros(Timestamp t, String field) {
    if (t.getSeconds() < 0 || t.getSeconds() > MAX_SECONDS || t.getNanos() < 0 || t.getNanos() > 999_999_999) {
      throw ExecLogException.invalid(field, "is not a valid timestamp (seconds " + t.getSeconds() + ", nanos "
          + t.getNanos() + ")");
    }
    return Timestamps.toMicros(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()));
  }

  static Duration toDuration(double seconds) {
    long whole = (long) Math.floor(seconds);
    int nanos = (int) Math.round((seconds - whole) * 1e9);
    if (nanos >= 1_000_000_000) {
      whole += 1;
      nanos -= 1_000_000_000;
    }
    return Duration.newBuilder().setSeconds(whole).setNanos(nanos).build();
  }

  static double toSeconds(Duration d, String field) {
    if (d.getSeconds() < 0 || d.getNanos() < 0) {
      throw ExecLogException.invalid(field, "must not be negative");
    }
    if (d.getNanos() > 999_999_999) {
      throw ExecLogException.invalid(field, "nanos must be below one second");
    }
    return d.getSeconds() + d.getNanos() / 1e9;
  }
}
