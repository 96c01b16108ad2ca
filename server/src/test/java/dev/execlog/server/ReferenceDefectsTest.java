package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static dev.execlog.server.Runs.withFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import dev.execlog.v1.CleanupExecutionsRequest;
import dev.execlog.v1.CleanupExecutionsResponse;
import dev.execlog.v1.CleanupRule;
import dev.execlog.v1.DeleteExecutionRequest;
import dev.execlog.v1.Execution;
import dev.execlog.v1.ExportFormat;
import dev.execlog.v1.ImportMode;
import dev.execlog.v1.ListTasksRequest;
import dev.execlog.v1.OutputFile;
import dev.execlog.v1.TaskSummary;
import dev.execlog.v1.UpdateExecutionRequest;
import dev.execlog.v1.ValidateLogRequest;
import dev.execlog.v1.ValidateLogResponse;
import dev.execlog.v1.ValidationResult;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each test pins a defect of the reference library that execlog must not copy. */
class ReferenceDefectsTest {

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  private static Timestamp at(long seconds) {
    return Timestamp.newBuilder().setSeconds(seconds).build();
  }

  private TaskSummary summary(String taskId) {
    return server.stub().listTasks(ListTasksRequest.getDefaultInstance()).getTasksList().stream()
        .filter(t -> t.getTaskId().equals(taskId)).findFirst().orElse(null);
  }

  private ValidationResult validate() {
    Iterator<ValidateLogResponse> it = server.stub().validateLog(ValidateLogRequest.getDefaultInstance());
    ValidationResult result = null;
    while (it.hasNext()) {
      ValidateLogResponse m = it.next();
      if (m.hasResult()) {
        result = m.getResult();
      }
    }
    return result;
  }

  @Test
  void cleanup_leavesTaskSummariesPointingAtRunsThatStillExist() {
    long now = System.currentTimeMillis() / 1000;
    server.stub().recordExecution(record(run("t_old").setRecordTime(at(now - 90 * 86400))));
    Execution keep = server.stub().recordExecution(record(run("t_mixed").setRecordTime(at(now - 3600)))).getExecution();
    server.stub().recordExecution(record(run("t_mixed").setRecordTime(at(now - 60))));
    Iterator<CleanupExecutionsResponse> it = server.stub().cleanupExecutions(CleanupExecutionsRequest.newBuilder()
        .setMaxAgeDays(30).setMaxRunsPerTask(1).setRule(CleanupRule.CLEANUP_RULE_OLD_OR_BEYOND_COUNT).build());
    CleanupExecutionsResponse last = null;
    while (it.hasNext()) {
      last = it.next();
    }
    assertEquals(2, last.getResult().getRemovedCount());
    assertEquals(null, summary("t_old"), "a task with no runs left has no summary");
    TaskSummary mixed = summary("t_mixed");
    assertEquals(1, mixed.getRunCount());
    assertFalse(mixed.getLastRunId().equals(keep.getRunId()));
    assertTrue(validate().getValid());
  }

  @Test
  void deleteLatestRun_movesSummaryToTheNewLatestAndDropsItWhenNoneIsLeft() {
    Execution older = server.stub().recordExecution(record(run("t_del").setRecordTime(at(1_700_000_000)))).getExecution();
    Execution newer = server.stub().recordExecution(record(run("t_del").setRecordTime(at(1_700_000_100)))).getExecution();
    assertEquals(newer.getRunId(), summary("t_del").getLastRunId());
    server.stub().deleteExecution(DeleteExecutionRequest.newBuilder().setRunId(newer.getRunId()).build());
    assertEquals(older.getRunId(), summary("t_del").getLastRunId());
    server.stub().deleteExecution(DeleteExecutionRequest.newBuilder().setRunId(older.getRunId()).build());
    assertEquals(null, summary("t_del"));
  }

  @Test
  void importMerge_doesNotReplaceASummaryWithAnOlderRun() throws Exception {
    Execution current = server.stub().recordExecution(record(run("t_m").setRecordTime(at(1_750_000_000)))).getExecution();
    String older = """
        {"tasks": {"t_m": {"task_type": "profiling", "last_execution": 1700000000, "last_status": "failed",
          "last_report_path": "r.json", "last_task_run_id": "%s"}},
         "executions": [{"task_id": "t_m", "task_type": "profiling", "task_run_id": "%s",
          "timestamp": "2023-11-14T22:13:20+00:00", "success": false, "execution_time": 1.0,
          "report_path": "r.json", "input_files": [], "output_files": [], "hostname": "h"}],
         "timestamp": "2023-11-14T22:13:20+00:00", "version": "1.0.0", "last_modified": "2023-11-14T22:13:20+00:00"}
        """.formatted(UUID.randomUUID(), UUID.randomUUID());
    var result = StreamCalls.importLog(server.asyncStub(), older, ImportMode.IMPORT_MODE_MERGE);
    assertEquals(1, result.result().getResult().getImportedCount());
    TaskSummary s = summary("t_m");
    assertEquals(current.getRunId(), s.getLastRunId());
    assertEquals(2, s.getRunCount());
  }

  @Test
  void update_rejectsBadPathChangedRunIdAndNonTimestamps_changingNothing() throws Exception {
    Execution run = server.stub().recordExecution(record(withFiles(run("t_u"), "in.csv", "out.csv"))).getExecution();
    server.server().store().flush();
    byte[] before = server.storedLog();

    StatusRuntimeException badPath = assertThrows(StatusRuntimeException.class, () -> server.stub().updateExecution(
        UpdateExecutionRequest.newBuilder()
            .setExecution(run.toBuilder().clearOutputFiles().addOutputFiles(
                OutputFile.newBuilder().setPath("../../etc/passwd")))
            .setUpdateMask(FieldMask.newBuilder().addPaths("output_files")).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, badPath.getStatus().getCode());
    assertTrue(badPath.getStatus().getDescription().contains("execution.output_files[0].path"));

    StatusRuntimeException runId = assertThrows(StatusRuntimeException.class, () -> server.stub().updateExecution(
        UpdateExecutionRequest.newBuilder().setExecution(run)
            .setUpdateMask(FieldMask.newBuilder().addPaths("run_id")).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, runId.getStatus().getCode());
    assertTrue(runId.getStatus().getDescription().contains("update_mask"));

    StatusRuntimeException time = assertThrows(StatusRuntimeException.class, () -> server.stub().updateExecution(
        UpdateExecutionRequest.newBuilder().setExecution(run.toBuilder().setRecordTime(
                Timestamp.newBuilder().setSeconds(-5)))
            .setUpdateMask(FieldMask.newBuilder().addPaths("record_time")).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, time.getStatus().getCode());

    StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class, () -> server.stub().updateExecution(
        UpdateExecutionRequest.newBuilder().setExecution(run)
            .setUpdateMask(FieldMask.newBuilder().addPaths("colour")).build()));
    assertTrue(unknown.getStatus().getDescription().contains("colour"));

    server.server().store().flush();
    assertEquals(new String(before), new String(server.storedLog()));
  }

  @Test
  void update_validChange_isStoredAndSummaryFollows() {
    Execution run = server.stub().recordExecution(record(run("t_ok"))).getExecution();
    Execution updated = server.stub().updateExecution(UpdateExecutionRequest.newBuilder()
        .setExecution(Execution.newBuilder().setRunId(run.getRunId()).setSuccess(false).setReportPath("r/new.json"))
        .setUpdateMask(FieldMask.newBuilder().addPaths("success").addPaths("report_path")).build()).getExecution();
    assertFalse(updated.getSuccess());
    assertEquals("r/new.json", updated.getReportPath());
    assertEquals(run.getTaskType(), updated.getTaskType());
    assertFalse(summary("t_ok").getLastSuccess());
  }

  @Test
  void csvExportOfEmptyLog_stillHasItsHeaderRow() {
    var export = StreamCalls.export(server.stub(), ExportFormat.EXPORT_FORMAT_CSV);
    assertEquals("task_id,task_type,task_run_id,timestamp,success,execution_time,report_path,"
        + "input_files_count,output_files_count,hostname\r\n", export.text());
    assertEquals(0, export.result().getResult().getExecutionCount());
  }

  @JsonFileOnly
  @Test
  void validate_reportsEachProblemOnce() throws Exception {
    server.stop();
    String id = UUID.randomUUID().toString();
    String entry = """
        {"task_id": "t_v", "task_type": "x", "task_run_id": "%s", "timestamp": "yesterday", "success": true,
         "execution_time": 1, "report_path": "", "input_files": [], "output_files": [], "hostname": "h"}
        """.formatted(id);
    Files.createDirectories(server.logFile().getParent());
    Files.writeString(server.logFile(), "{\"tasks\": {}, \"executions\": [" + entry + "," + entry + "],"
        + "\"timestamp\": \"2025-01-01T00:00:00\", \"version\": \"1.0.0\"}");
    server.start();
    List<String> fields = validate().getProblemsList().stream().map(p -> p.getRunId() + ":" + p.getField()).toList();
    assertEquals(List.of(id + ":timestamp", id + ":task_run_id"), fields);
    // The unreadable timestamp is kept as written, and cleanup still works for the rest of the log.
    Iterator<CleanupExecutionsResponse> it = server.stub().cleanupExecutions(
        CleanupExecutionsRequest.newBuilder().setDryRun(true).build());
    while (it.hasNext()) {
      it.next();
    }
  }
}
