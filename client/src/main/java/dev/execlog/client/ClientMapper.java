package dev.execlog.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import dev.execlog.client.model.CleanupRule;
import dev.execlog.client.model.DependencyOptions;
import dev.execlog.client.model.DependencyReport;
import dev.execlog.client.model.ExecutionChange;
import dev.execlog.client.model.ExportSelection;
import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.ImportSettings;
import dev.execlog.client.model.InputFile;
import dev.execlog.client.model.LineageGraph;
import dev.execlog.client.model.LineageQuery;
import dev.execlog.client.model.LogInfo;
import dev.execlog.client.model.NewRun;
import dev.execlog.client.model.OutputFile;
import dev.execlog.client.model.ProgressEvent;
import dev.execlog.client.model.Run;
import dev.execlog.client.model.RunUpdate;
import dev.execlog.client.model.StatisticsQuery;
import dev.execlog.client.model.StatisticsReport;
import dev.execlog.client.model.TaskStatistics;
import dev.execlog.client.model.TaskSummary;
import dev.execlog.client.model.ValidationReport;
import dev.execlog.client.model.WatchFilter;
import dev.execlog.v1.CheckDependenciesRequest;
import dev.execlog.v1.CleanupExecutionsRequest;
import dev.execlog.v1.DeleteExecutionRequest;
import dev.execlog.v1.DependencyStatus;
import dev.execlog.v1.Execution;
import dev.execlog.v1.ExecutionStatistics;
import dev.execlog.v1.ExportFormat;
import dev.execlog.v1.ExportLogRequest;
import dev.execlog.v1.FindOutputProducerRequest;
import dev.execlog.v1.GetExecutionRequest;
import dev.execlog.v1.GetLatestExecutionRequest;
import dev.execlog.v1.GetLineageRequest;
import dev.execlog.v1.GetLineageResponse;
import dev.execlog.v1.GetLogInfoResponse;
import dev.execlog.v1.GetTaskStatisticsRequest;
import dev.execlog.v1.GetTaskStatisticsResponse;
import dev.execlog.v1.ImportLogRequest;
import dev.execlog.v1.ImportMode;
import dev.execlog.v1.ImportOptions;
import dev.execlog.v1.LineageDirection;
import dev.execlog.v1.LineageLevel;
import dev.execlog.v1.LineageNode;
import dev.execlog.v1.ListExecutionsRequest;
import dev.execlog.v1.ListTasksRequest;
import dev.execlog.v1.Progress;
import dev.execlog.v1.RecordExecutionRequest;
import dev.execlog.v1.TimeBucket;
import dev.execlog.v1.TrackInputFilesRequest;
import dev.execlog.v1.TrackOutputFilesRequest;
import dev.execlog.v1.UpdateExecutionRequest;
import dev.execlog.v1.ValidationResult;
import dev.execlog.v1.WatchExecutionsRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Converts between the wire messages and the client's Java types. */
final class ClientMapper {

  private ClientMapper() {}

  static Run run(Execution e) {
    return new Run(e.getRunId(), e.getTaskId(), e.getTaskType(),
        e.hasRecordTime() ? instant(e.getRecordTime()) : null, e.getSuccess(),
        Duration.ofSeconds(e.getDuration().getSeconds(), e.getDuration().getNanos()), e.getReportPath(),
        e.getInputFilesList().stream().map(ClientMapper::inputFile).toList(),
        e.getOutputFilesList().stream().map(ClientMapper::outputFile).toList(),
        e.getHostname(), e.getExtraFieldsMap(), e.getIntegerExecutionTime());
  }

  private static InputFile inputFile(dev.execlog.v1.InputFile f) {
    return new InputFile(f.getName(), f.getPath(), f.getExtraFieldsMap());
  }

  private static OutputFile outputFile(dev.execlog.v1.OutputFile f) {
    return new OutputFile(f.getPath(), f.getType(), f.getDescription(), f.getExtraFieldsMap());
  }

  static Execution execution(NewRun run, String defaultHostname) {
    Execution.Builder b = Execution.newBuilder()
        .setRunId(run.runId())
        .setTaskId(run.taskId())
        .setTaskType(run.taskType())
        .setSuccess(run.success())
        .setDuration(duration(run.duration()))
        .setIntegerExecutionTime(run.integerExecutionTime())
        .setReportPath(run.reportPath())
        .setHostname(run.hostname().isEmpty() ? defaultHostname : run.hostname())
        .putAllExtraFields(run.extraFields());
    if (run.recordTime() != null) {
      b.setRecordTime(timestamp(run.recordTime()));
    }
    run.inputs().forEach(f -> b.addInputFiles(inputFile(f)));
    run.outputs().forEach(f -> b.addOutputFiles(outputFile(f)));
    return b.build();
  }

  /** The run of an update request; the mask (from {@link RunUpdate#fieldList()}) says which fields count. */
  static Execution execution(String runId, RunUpdate u) {
    Execution.Builder b = Execution.newBuilder()
        .setRunId(runId)
        .setTaskType(u.taskType())
        .setSuccess(u.success())
        .setDuration(duration(u.duration()))
        .setIntegerExecutionTime(u.integerExecutionTime())
        .setReportPath(u.reportPath())
        .setHostname(u.hostname())
        .putAllExtraFields(u.extraFields());
    if (u.recordTime() != null) {
      b.setRecordTime(timestamp(u.recordTime()));
    }
    u.inputFiles().forEach(f -> b.addInputFiles(inputFile(f)));
    u.outputFiles().forEach(f -> b.addOutputFiles(outputFile(f)));
    return b.build();
  }

  private static dev.execlog.v1.InputFile.Builder inputFile(InputFile f) {
    return dev.execlog.v1.InputFile.newBuilder().setName(f.name()).setPath(f.path()).putAllExtraFields(f.extraFields());
  }

  private static dev.execlog.v1.OutputFile.Builder outputFile(OutputFile f) {
    return dev.execlog.v1.OutputFile.newBuilder().setPath(f.path()).setType(f.type()).setDescription(f.description())
        .putAllExtraFields(f.extraFields());
  }

  static dev.execlog.v1.CleanupRule cleanupRule(CleanupRule rule) {
    return switch (rule) {
      case OLD_AND_BEYOND_COUNT -> dev.execlog.v1.CleanupRule.CLEANUP_RULE_OLD_AND_BEYOND_COUNT;
      case OLD_OR_BEYOND_COUNT -> dev.execlog.v1.CleanupRule.CLEANUP_RULE_OLD_OR_BEYOND_COUNT;
    };
  }

  static ExportFormat exportFormat(ExecutionLogClient.Format format) {
    return switch (format) {
      case JSON -> ExportFormat.EXPORT_FORMAT_JSON;
      case CSV -> ExportFormat.EXPORT_FORMAT_CSV;
      case CSV_WITH_FILES -> ExportFormat.EXPORT_FORMAT_CSV_WITH_FILES;
      case OPENLINEAGE -> ExportFormat.EXPORT_FORMAT_OPENLINEAGE;
    };
  }

  static ImportOptions importOptions(ImportSettings settings) {
    return ImportOptions.newBuilder()
        .setMode(settings.replace() ? ImportMode.IMPORT_MODE_REPLACE : ImportMode.IMPORT_MODE_MERGE)
        .setDryRun(settings.dryRun())
        .setSourceRoot(settings.sourceRoot())
        .build();
  }

  static TaskSummary summary(dev.execlog.v1.TaskSummary s) {
    return new TaskSummary(s.getTaskId(), s.getTaskType(),
        s.hasLastRecordTime() ? instant(s.getLastRecordTime()) : null, s.getLastSuccess(), s.getLastReportPath(),
        s.getLastRunId(), s.getRunCount());
  }

  static DependencyReport.Dependency dependency(DependencyStatus s) {
    DependencyReport.State state = switch (s.getState()) {
      case DEPENDENCY_STATE_SATISFIED -> DependencyReport.State.SATISFIED;
      case DEPENDENCY_STATE_NEVER_RUN -> DependencyReport.State.NEVER_RUN;
      case DEPENDENCY_STATE_FAILED -> DependencyReport.State.FAILED;
      case DEPENDENCY_STATE_STALE -> DependencyReport.State.STALE;
      case DEPENDENCY_STATE_OUTPUTS_MISSING -> DependencyReport.State.OUTPUTS_MISSING;
      default -> DependencyReport.State.UNKNOWN;
    };
    return new DependencyReport.Dependency(s.getTaskId(), state,
        s.hasLatestSuccess() ? Optional.of(run(s.getLatestSuccess())) : Optional.empty(),
        s.hasLatest() ? Optional.of(run(s.getLatest())) : Optional.empty(), s.getMessage(),
        List.copyOf(s.getMissingOutputPathsList()));
  }

  static LineageGraph lineage(GetLineageResponse r) {
    List<LineageGraph.Node> nodes = r.getNodesList().stream().map(ClientMapper::node).toList();
    List<LineageGraph.Edge> edges = r.getEdgesList().stream()
        .map(e -> new LineageGraph.Edge(e.getSourceNodeId(), e.getTargetNodeId(), e.getPath())).toList();
    return new LineageGraph(r.getStartNodeId(), nodes, edges, r.getTruncated());
  }

  private static LineageGraph.Node node(LineageNode n) {
    return switch (n.getKindCase()) {
      case TASK -> new LineageGraph.Node(n.getId(), n.getDistance(), LineageGraph.Kind.TASK,
          Optional.of(summary(n.getTask())), Optional.empty(), "");
      case RUN -> new LineageGraph.Node(n.getId(), n.getDistance(), LineageGraph.Kind.RUN, Optional.empty(),
          Optional.of(run(n.getRun())), "");
      default -> new LineageGraph.Node(n.getId(), n.getDistance(), LineageGraph.Kind.FILE, Optional.empty(),
          Optional.empty(), n.getPath());
    };
  }

  static StatisticsReport statistics(GetTaskStatisticsResponse r) {
    return new StatisticsReport(taskStatistics(r.getTotal()),
        r.getTasksList().stream().map(ClientMapper::taskStatistics).toList());
  }

  private static TaskStatistics taskStatistics(dev.execlog.v1.TaskStatistics t) {
    return new TaskStatistics(t.getTaskId(), figures(t.getOverall()), t.getBucketsList().stream()
        .map(b -> new TaskStatistics.Bucket(instant(b.getStartTime()), instant(b.getEndTime()),
            figures(b.getStatistics())))
        .toList());
  }

  private static TaskStatistics.Figures figures(ExecutionStatistics s) {
    return new TaskStatistics.Figures(s.getRunCount(), s.getSuccessCount(), s.getSuccessRate(),
        s.hasMeanDuration() ? Optional.of(duration(s.getMeanDuration())) : Optional.empty(),
        s.hasP50Duration() ? Optional.of(duration(s.getP50Duration())) : Optional.empty(),
        s.hasP95Duration() ? Optional.of(duration(s.getP95Duration())) : Optional.empty(),
        s.hasMaxDuration() ? Optional.of(duration(s.getMaxDuration())) : Optional.empty());
  }

  static ExecutionChange change(dev.execlog.v1.ExecutionChange c) {
    ExecutionChange.Kind kind = switch (c.getKind()) {
      case CHANGE_KIND_RECORDED -> ExecutionChange.Kind.RECORDED;
      case CHANGE_KIND_UPDATED -> ExecutionChange.Kind.UPDATED;
      case CHANGE_KIND_REMOVED -> ExecutionChange.Kind.REMOVED;
      default -> ExecutionChange.Kind.UNKNOWN;
    };
    return new ExecutionChange(kind, run(c.getExecution()), c.getSequence());
  }

  static Duration duration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  static LogInfo info(GetLogInfoResponse r) {
    return new LogInfo(r.getPath(), r.getProjectRoot(), r.getExecutionCount(), r.getTaskCount(), r.getSizeBytes(),
        r.hasLastModifiedTime() ? instant(r.getLastModifiedTime()) : null,
        r.hasCreateTime() ? instant(r.getCreateTime()) : null, r.getVersion(), r.getServerVersion(),
        r.getServerCommit(), r.getServerId(), r.getStore());
  }

  static ProgressEvent progress(Progress p) {
    return new ProgressEvent(p.getStage(), p.getDone(), p.getTotal(), p.getMessage());
  }

  static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }

  static List<Run> runs(List<Execution> list) {
    return list.stream().map(ClientMapper::run).toList();
  }

  // ------------------------------------------------------------------ requests

  static RecordExecutionRequest recordRequest(NewRun run, String hostname) {
    return RecordExecutionRequest.newBuilder().setExecution(execution(run, hostname)).build();
  }

  static GetExecutionRequest getRequest(String runId) {
    return GetExecutionRequest.newBuilder().setRunId(runId).build();
  }

  static ListExecutionsRequest listRequest(HistoryQuery query, int pageSize, String pageToken) {
    ListExecutionsRequest.Builder b = ListExecutionsRequest.newBuilder()
        .setSuccessOnly(query.successOnly()).setPageSize(pageSize).setPageToken(pageToken);
    if (query.taskId() != null) {
      b.setTaskId(query.taskId());
    }
    if (query.start() != null) {
      b.setStartTime(timestamp(query.start()));
    }
    if (query.end() != null) {
      b.setEndTime(timestamp(query.end()));
    }
    return b.build();
  }

  static GetLatestExecutionRequest latestRequest(String taskId, boolean includeFailed) {
    return GetLatestExecutionRequest.newBuilder().setTaskId(taskId).setIncludeFailed(includeFailed).build();
  }

  static FindOutputProducerRequest producerRequest(String path, boolean includeAll) {
    return FindOutputProducerRequest.newBuilder().setPath(path).setIncludeAll(includeAll).build();
  }

  static TrackInputFilesRequest trackInputsRequest(String taskId, List<String> paths) {
    return TrackInputFilesRequest.newBuilder().setTaskId(taskId).addAllPaths(paths).build();
  }

  static TrackOutputFilesRequest trackOutputsRequest(String taskId, List<String> paths) {
    return TrackOutputFilesRequest.newBuilder().setTaskId(taskId).addAllPaths(paths).build();
  }

  static UpdateExecutionRequest updateRequest(String runId, RunUpdate update) {
    return UpdateExecutionRequest.newBuilder().setExecution(execution(runId, update))
        .setUpdateMask(FieldMask.newBuilder().addAllPaths(update.fieldList())).build();
  }

  static DeleteExecutionRequest deleteRequest(String runId) {
    return DeleteExecutionRequest.newBuilder().setRunId(runId).build();
  }

  static ListTasksRequest tasksRequest(int pageSize, String pageToken) {
    return ListTasksRequest.newBuilder().setPageSize(pageSize).setPageToken(pageToken).build();
  }

  static CheckDependenciesRequest dependenciesRequest(List<String> taskIds, DependencyOptions options) {
    CheckDependenciesRequest.Builder b = CheckDependenciesRequest.newBuilder()
        .addAllTaskIds(taskIds).setRequireLatestSuccess(options.requireLatestSuccess())
        .setRequireOutputsExist(options.requireOutputsExist());
    if (options.maxAge() != null) {
      b.setMaxAge(duration(options.maxAge()));
    }
    if (options.newerThanTaskId() != null) {
      b.setNewerThanTaskId(options.newerThanTaskId());
    } else if (options.newerThanRunId() != null) {
      b.setNewerThanRunId(options.newerThanRunId());
    }
    return b.build();
  }

  static GetLineageRequest lineageRequest(LineageQuery query) {
    GetLineageRequest.Builder b = GetLineageRequest.newBuilder()
        .setDepth(query.depth()).setMaxNodes(query.maxNodes())
        .setDirection(switch (query.direction()) {
          case UPSTREAM -> LineageDirection.LINEAGE_DIRECTION_UPSTREAM;
          case DOWNSTREAM -> LineageDirection.LINEAGE_DIRECTION_DOWNSTREAM;
          case BOTH -> LineageDirection.LINEAGE_DIRECTION_BOTH;
        })
        .setLevel(query.level() == LineageQuery.Level.RUN ? LineageLevel.LINEAGE_LEVEL_RUN
            : LineageLevel.LINEAGE_LEVEL_TASK);
    if (query.taskId() != null) {
      b.setTaskId(query.taskId());
    } else if (query.runId() != null) {
      b.setRunId(query.runId());
    } else if (query.path() != null) {
      b.setPath(query.path());
    }
    return b.build();
  }

  static GetTaskStatisticsRequest statisticsRequest(StatisticsQuery query) {
    GetTaskStatisticsRequest.Builder b = GetTaskStatisticsRequest.newBuilder()
        .setBucket(switch (query.bucket()) {
          case NONE -> TimeBucket.TIME_BUCKET_UNSPECIFIED;
          case HOUR -> TimeBucket.TIME_BUCKET_HOUR;
          case DAY -> TimeBucket.TIME_BUCKET_DAY;
          case WEEK -> TimeBucket.TIME_BUCKET_WEEK;
        });
    if (query.taskId() != null) {
      b.setTaskId(query.taskId());
    }
    if (query.start() != null) {
      b.setStartTime(timestamp(query.start()));
    }
    if (query.end() != null) {
      b.setEndTime(timestamp(query.end()));
    }
    return b.build();
  }

  static WatchExecutionsRequest watchRequest(WatchFilter filter) {
    WatchExecutionsRequest.Builder b = WatchExecutionsRequest.newBuilder();
    if (filter.taskId() != null) {
      b.setTaskId(filter.taskId());
    }
    if (filter.taskType() != null) {
      b.setTaskType(filter.taskType());
    }
    if (filter.success() != null) {
      b.setSuccess(filter.success());
    }
    return b.build();
  }

  static CleanupExecutionsRequest cleanupRequest(Integer maxAgeDays, Integer maxRunsPerTask, CleanupRule rule,
      boolean dryRun) {
    CleanupExecutionsRequest.Builder b = CleanupExecutionsRequest.newBuilder().setDryRun(dryRun)
        .setRule(cleanupRule(rule));
    if (maxAgeDays != null) {
      b.setMaxAgeDays(maxAgeDays);
    }
    if (maxRunsPerTask != null) {
      b.setMaxRunsPerTask(maxRunsPerTask);
    }
    return b.build();
  }

  static ExportLogRequest exportRequest(ExecutionLogClient.Format format, ExportSelection selection) {
    ExportLogRequest.Builder b = ExportLogRequest.newBuilder().setFormat(exportFormat(format));
    if (selection.taskId() != null) {
      b.setTaskId(selection.taskId());
    }
    if (selection.runId() != null) {
      b.setRunId(selection.runId());
    }
    if (selection.namespace() != null) {
      b.setNamespace(selection.namespace());
    }
    return b.build();
  }

  static ValidationReport validation(ValidationResult r) {
    return new ValidationReport(r.getValid(), r.getProblemsList().stream()
        .map(p -> new ValidationReport.Problem(p.getRunId(), p.getTaskId(), p.getField(), p.getMessage()))
        .toList(), r.getCheckedCount());
  }

  static ImportLogRequest importStart(ImportOptions options) {
    return ImportLogRequest.newBuilder().setOptions(options).build();
  }

  static ImportLogRequest importChunk(byte[] buffer, int length) {
    return ImportLogRequest.newBuilder().setChunk(ByteString.copyFrom(buffer, 0, length)).build();
  }
}
