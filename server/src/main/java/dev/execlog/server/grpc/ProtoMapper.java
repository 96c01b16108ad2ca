package dev.execlog.server.grpc;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import dev.execlog.server.model.TaskSummary;
import dev.execlog.server.ops.DependencyChecker;
import dev.execlog.v1.DependencyState;
import dev.execlog.v1.DependencyStatus;
import java.util.ArrayList;
import java.util.List;

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
        .setReportPath(run.reportPath())
        .setHostname(run.hostname());
    if (run.hasValidTime()) {
      b.setRecordTime(toTimestamp(run.recordTimeMicros()));
    }
    for (InputFile f : run.inputFiles()) {
      b.addInputFiles(dev.execlog.v1.InputFile.newBuilder().setName(f.name()).setPath(f.path()));
    }
    for (OutputFile f : run.outputFiles()) {
      b.addOutputFiles(dev.execlog.v1.OutputFile.newBuilder()
          .setPath(f.path()).setType(f.type()).setDescription(f.description()));
    }
    return b.build();
  }

  /** A draft run from a request: paths raw, time {@link Execution#INVALID_TIME} when not sent. */
  static Execution fromProto(dev.execlog.v1.Execution e, String prefix) {
    List<InputFile> inputs = new ArrayList<>(e.getInputFilesCount());
    for (dev.execlog.v1.InputFile f : e.getInputFilesList()) {
      inputs.add(new InputFile(f.getName(), f.getPath()));
    }
    List<OutputFile> outputs = new ArrayList<>(e.getOutputFilesCount());
    for (dev.execlog.v1.OutputFile f : e.getOutputFilesList()) {
      outputs.add(new OutputFile(f.getPath(), f.getType(), f.getDescription()));
    }
    long time = e.hasRecordTime() ? toMicros(e.getRecordTime(), prefix + ".record_time") : Execution.INVALID_TIME;
    double seconds = e.hasDuration() ? toSeconds(e.getDuration(), prefix + ".duration") : 0;
    return new Execution(e.getRunId(), e.getTaskId(), e.getTaskType(), time, e.getSuccess(), seconds,
        e.getReportPath(), inputs, outputs, e.getHostname(), null);
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
        })
        .setMessage(s.message());
    if (s.latestSuccess() != null) {
      b.setLatestSuccess(toProto(s.latestSuccess()));
    }
    if (s.latest() != null) {
      b.setLatest(toProto(s.latest()));
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
    return Timestamps.toMicros(java.time.Instant.ofEpochSecond(t.getSeconds(), t.getNanos()));
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
