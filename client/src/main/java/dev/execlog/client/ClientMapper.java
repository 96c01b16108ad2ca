package dev.execlog.client;

import com.google.protobuf.Timestamp;
import dev.execlog.client.model.DependencyReport;
import dev.execlog.client.model.InputFile;
import dev.execlog.client.model.LogInfo;
import dev.execlog.client.model.NewRun;
import dev.execlog.client.model.OutputFile;
import dev.execlog.client.model.ProgressEvent;
import dev.execlog.client.model.Run;
import dev.execlog.client.model.RunUpdate;
import dev.execlog.client.model.TaskSummary;
import dev.execlog.v1.DependencyStatus;
import dev.execlog.v1.Execution;
import dev.execlog.v1.GetLogInfoResponse;
import dev.execlog.v1.Progress;
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
        e.getInputFilesList().stream().map(f -> new InputFile(f.getName(), f.getPath())).toList(),
        e.getOutputFilesList().stream().map(f -> new OutputFile(f.getPath(), f.getType(), f.getDescription())).toList(),
        e.getHostname());
  }

  static Execution execution(NewRun run, String defaultHostname) {
    Execution.Builder b = Execution.newBuilder()
        .setRunId(run.runId())
        .setTaskId(run.taskId())
        .setTaskType(run.taskType())
        .setSuccess(run.success())
        .setDuration(duration(run.duration()))
        .setReportPath(run.reportPath())
        .setHostname(run.hostname().isEmpty() ? defaultHostname : run.hostname());
    if (run.recordTime() != null) {
      b.setRecordTime(timestamp(run.recordTime()));
    }
    run.inputs().forEach(f -> b.addInputFiles(dev.execlog.v1.InputFile.newBuilder().setName(f.name()).setPath(f.path())));
    run.outputs().forEach(f -> b.addOutputFiles(dev.execlog.v1.OutputFile.newBuilder()
        .setPath(f.path()).setType(f.type()).setDescription(f.description())));
    return b.build();
  }

  static Execution execution(String runId, RunUpdate u) {
    Execution.Builder b = Execution.newBuilder()
        .setRunId(runId)
        .setTaskType(u.taskType())
        .setSuccess(u.success())
        .setDuration(duration(u.duration()))
        .setReportPath(u.reportPath())
        .setHostname(u.hostname());
    if (u.recordTime() != null) {
      b.setRecordTime(timestamp(u.recordTime()));
    }
    u.inputFiles().forEach(f -> b.addInputFiles(dev.execlog.v1.InputFile.newBuilder().setName(f.name()).setPath(f.path())));
    u.outputFiles().forEach(f -> b.addOutputFiles(dev.execlog.v1.OutputFile.newBuilder()
        .setPath(f.path()).setType(f.type()).setDescription(f.description())));
    return b.build();
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
      default -> DependencyReport.State.UNKNOWN;
    };
    return new DependencyReport.Dependency(s.getTaskId(), state,
        s.hasLatestSuccess() ? Optional.of(run(s.getLatestSuccess())) : Optional.empty(),
        s.hasLatest() ? Optional.of(run(s.getLatest())) : Optional.empty(), s.getMessage());
  }

  static LogInfo info(GetLogInfoResponse r) {
    return new LogInfo(r.getPath(), r.getProjectRoot(), r.getExecutionCount(), r.getTaskCount(), r.getSizeBytes(),
        r.hasLastModifiedTime() ? instant(r.getLastModifiedTime()) : null,
        r.hasCreateTime() ? instant(r.getCreateTime()) : null, r.getVersion(), r.getServerVersion());
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
}
