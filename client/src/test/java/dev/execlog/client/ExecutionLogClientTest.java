package dev.execlog.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.client.model.CleanupResult;
import dev.execlog.client.model.DependencyReport;
import dev.execlog.client.model.ExportResult;
import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.ImportResult;
import dev.execlog.client.model.NewRun;
import dev.execlog.client.model.ProgressEvent;
import dev.execlog.client.model.Run;
import dev.execlog.client.model.RunUpdate;
import dev.execlog.client.model.TaskSummary;
import dev.execlog.v1.ErrorReason;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Java client against a real server over the in-process transport. */
class ExecutionLogClientTest {

  @RegisterExtension
  final InProcessLogServer log = new InProcessLogServer();

  private ExecutionLogClient client;

  @BeforeEach
  void connect() {
    client = log.client();
  }

  private static NewRun.Builder run(String task) {
    return NewRun.builder(task, "profiling").seconds(125.3).reportPath("DATA/reports/" + task + ".json");
  }

  @Test
  void record_returnsStoredRunWithJavaTypes() {
    Run run = client.record(run("t_1A").input("customers", "DATA/raw/customers.csv")
        .output("DATA/out/stats.json").output("DATA/out/summary.txt", "text", "Summary").build());
    assertEquals("t_1A", run.taskId());
    assertEquals(125.3, run.executionTimeSeconds(), 1e-9);
    assertEquals("customers", run.inputFiles().get(0).name());
    assertEquals("text", run.outputFiles().get(1).type());
    assertTrue(run.recordTime().isAfter(Instant.now().minusSeconds(60)));
    assertEquals(run, client.get(run.runId()));
  }

  @Test
  void recordWithOutcome_retryOfSameNewRun_isNotStoredTwice() {
    NewRun newRun = run("t_retry").build();
    assertFalse(client.recordWithOutcome(newRun).alreadyRecorded());
    assertTrue(client.recordWithOutcome(newRun).alreadyRecorded());
    assertEquals(1, client.history(HistoryQuery.task("t_retry"), 10).size());
  }

  @Test
  void history_followsPageTokensUpToTheLimit() {
    for (int i = 0; i < 2500; i++) {
      client.record(run("t_many").recordTime(Instant.ofEpochSecond(1_700_000_000L + i)).build());
    }
    List<Run> runs = client.history(HistoryQuery.task("t_many"), 2100);
    assertEquals(2100, runs.size());
    assertEquals(1_700_000_000L + 2499, runs.get(0).recordTime().getEpochSecond());
    int count = 0;
    for (Run r : client.historyPages(HistoryQuery.all(), 700)) {
      count++;
    }
    assertEquals(2500, count);
  }

  @Test
  void latestAndProducer_returnEmptyWhenNothingMatches() {
    assertTrue(client.latest("t_none", false).isEmpty());
    assertTrue(client.producer("nothing.csv").isEmpty());
    Run run = client.record(run("t_p").output("out/p.csv").build());
    assertEquals(run.runId(), client.producer("out/p.csv").orElseThrow().runId());
    assertEquals(List.of(run.runId()), client.producers("out/p.csv").stream().map(Run::runId).toList());
  }

  @Test
  void trackUpdateDelete_changeTheLatestRun() {
    Run run = client.record(run("t_t").build());
    Run tracked = client.trackOutputs("t_t", List.of("out/a.csv", "out/a.csv", "out/b.csv"));
    assertEquals(List.of("out/a.csv", "out/b.csv"), tracked.outputFiles().stream().map(f -> f.path()).toList());
    client.trackInputs("t_t", List.of("in/x.csv"));
    Run updated = client.update(run.runId(), new RunUpdate().success(false).reportPath("r.json"));
    assertFalse(updated.success());
    assertEquals(1, updated.inputFiles().size());
    TaskSummary summary = client.tasks().get(0);
    assertFalse(summary.lastSuccess());
    client.delete(run.runId());
    assertTrue(client.tasks().isEmpty());
  }

  @Test
  void errors_carryCodeReasonAndField() {
    ExecLogClientException bad = assertThrows(ExecLogClientException.class,
        () -> client.record(run("t_x").output("../escape.csv").build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, bad.code());
    assertEquals("PATH_OUTSIDE_ROOT", bad.reason());
    assertEquals(ErrorReason.PATH_OUTSIDE_ROOT, bad.errorReason());
    assertEquals("execution.output_files[0].path", bad.field());
    assertEquals(Map.of("field", "execution.output_files[0].path", "path", "../escape.csv"), bad.metadata());
    ExecLogClientException missing = assertThrows(ExecLogClientException.class,
        () -> client.get("123e4567-e89b-12d3-a456-426614174000"));
    assertEquals(Status.Code.NOT_FOUND, missing.code());
    assertEquals(ErrorReason.RUN_NOT_FOUND, missing.errorReason());
    assertEquals("run_id", missing.field());
    assertEquals("123e4567-e89b-12d3-a456-426614174000", missing.metadata().get("run_id"));
    assertThrows(UnsupportedOperationException.class, () -> missing.metadata().put("x", "y"));
  }

  @Test
  void checkDependencies_reportsOverallAndPerTask() {
    client.record(run("t_up").build());
    DependencyReport report = client.checkDependencies(List.of("t_up", "t_missing"));
    assertFalse(report.satisfied());
    assertEquals(DependencyReport.State.SATISFIED, report.dependencies().get(0).state());
    assertEquals(DependencyReport.State.NEVER_RUN, report.dependencies().get(1).state());
  }

  @Test
  void longOperations_deliverProgressAndResults() {
    for (int i = 0; i < 20; i++) {
      client.record(run("t_long").build());
    }
    List<ProgressEvent> events = new ArrayList<>();
    // age 0: every run is old, so the count alone decides under the library's rule
    CleanupResult dry = client.cleanup(0, 5, true, events::add);
    assertEquals(15, dry.removedCount());
    assertFalse(events.isEmpty());
    assertTrue(client.validate(ProgressListener.NONE).valid());

    ByteArrayOutputStream json = new ByteArrayOutputStream();
    ExportResult exported = client.export(ExecutionLogClient.Format.JSON, null, json, ProgressListener.NONE);
    assertEquals(20, exported.executionCount());
    assertEquals(json.size(), exported.sizeBytes());

    client.cleanup(0, 0, false, ProgressListener.NONE);
    assertEquals(0, client.info().executionCount());
    ImportResult imported = client.importLog(new ByteArrayInputStream(json.toByteArray()), true, false,
        ProgressListener.NONE);
    assertEquals(20, imported.executionCount());
    assertEquals(20, client.info().executionCount());
  }

  @Test
  void unreachableServer_isUnavailable() {
    // UNAVAILABLE after gRPC's retries (a few seconds of backoff), well within the default deadline
    try (ExecutionLogClient nowhere = ExecutionLogClient.connect("127.0.0.1:1")) {
      ExecLogClientException e = assertThrows(ExecLogClientException.class, nowhere::info);
      assertEquals(Status.Code.UNAVAILABLE, e.code());
    }
  }
}
