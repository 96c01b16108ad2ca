package dev.execlog.server.grpc;

import dev.execlog.BuildInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.execlog.server.json.JsonValues;
import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import dev.execlog.server.model.TaskSummary;
import dev.execlog.server.store.HistoryPage;
import dev.execlog.server.store.HistoryQuery;
import dev.execlog.server.store.LogInfo;
import dev.execlog.server.store.RecordOutcome;
import dev.execlog.v1.DeleteExecutionResponse;
import dev.execlog.v1.FindOutputProducerResponse;
import dev.execlog.v1.GetExecutionResponse;
import dev.execlog.v1.GetLatestExecutionResponse;
import dev.execlog.v1.GetLogInfoResponse;
import dev.execlog.v1.ListExecutionsRequest;
import dev.execlog.v1.ListExecutionsResponse;
import dev.execlog.v1.ListTasksResponse;
import dev.execlog.v1.RecordExecutionResponse;
import dev.execlog.v1.TrackInputFilesResponse;
import dev.execlog.v1.TrackOutputFilesResponse;
import dev.execlog.v1.UpdateExecutionResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts runs, history, tasks and log info between the wire messages and the domain model, and the
 * time values every mapper shares. With {@link InsightMapper} and {@link MaintenanceMapper} it is the
 * only place that knows both sides.
 */
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

  static GetLogInfoResponse toProto(LogInfo info, String projectRoot, Long createdMicros, String serverVersion,
      String serverId) {
    GetLogInfoResponse.Builder b = GetLogInfoResponse.newBuilder()
        .setPath(info.location())
        .setProjectRoot(projectRoot)
        .setExecutionCount(info.executionCount())
        .setTaskCount(info.taskCount())
        .setSizeBytes(info.sizeBytes())
        .setLastModifiedTime(toTimestamp(info.lastModifiedMicros()))
        .setVersion(info.version())
        .setServerVersion(serverVersion)
        .setServerCommit(BuildInfo.COMMIT)
        .setServerId(serverId)
        .setStore(info.store());
    if (createdMicros != null) {
      b.setCreateTime(toTimestamp(createdMicros));
    }
    return b.build();
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
