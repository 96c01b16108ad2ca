package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static dev.execlog.server.Runs.withFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.execlog.v1.CheckDependenciesRequest;
import dev.execlog.v1.CheckDependenciesResponse;
import dev.execlog.v1.CleanupExecutionsRequest;
import dev.execlog.v1.CleanupExecutionsResponse;
import dev.execlog.v1.DependencyState;
import dev.execlog.v1.Execution;
import dev.execlog.v1.ExportFormat;
import dev.execlog.v1.GetLogInfoRequest;
import dev.execlog.v1.GetLogInfoResponse;
import dev.execlog.v1.ImportLogRequest;
import dev.execlog.v1.ImportLogResponse;
import dev.execlog.v1.ImportMode;
import dev.execlog.v1.ImportOptions;
import dev.execlog.v1.ListExecutionsRequest;
import dev.execlog.v1.OutputFile;
import dev.execlog.v1.Progress;
import dev.execlog.v1.ValidateLogRequest;
import dev.execlog.v1.ValidationResult;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MaintenanceTest {

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  private static Timestamp daysAgo(int days) {
    return Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000 - days * 86400L).build();
  }

  private List<CleanupExecutionsResponse> cleanup(CleanupExecutionsRequest request) {
    List<CleanupExecutionsResponse> all = new ArrayList<>();
    Iterator<CleanupExecutionsResponse> it = server.stub().cleanupExecutions(request);
    it.forEachRemaining(all::add);
    return all;
  }

  private GetLogInfoResponse info() {
    return server.stub().getLogInfo(GetLogInfoRequest.getDefaultInstance());
  }

  @Test
  void exportJson_thenImportReplace_restoresTheSameRuns() throws Exception {
    for (int i = 0; i < 30; i++) {
      server.stub().recordExecution(record(withFiles(run("t_" + (i % 3)), "in/" + i + ".csv", "out/" + i + ".csv")));
    }
    List<Execution> before = server.stub().listExecutions(ListExecutionsRequest.newBuilder().setPageSize(100).build())
        .getExecutionsList();
    StreamCalls.Export export = StreamCalls.export(server.stub(), ExportFormat.EXPORT_FORMAT_JSON);
    assertEquals(30, export.result().getResult().getExecutionCount());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(export.text().getBytes(StandardCharsets.UTF_8))), export.result().getResult().getSha256());

    for (int i = 0; i < 5; i++) {
      server.stub().recordExecution(record(run("t_extra")));
    }
    StreamCalls.Import imported = StreamCalls.importLog(server.asyncStub(), export.text(), ImportMode.IMPORT_MODE_REPLACE);
    assertEquals(30, imported.result().getResult().getExecutionCount());
    assertFalse(imported.progress().isEmpty());
    List<Execution> after = server.stub().listExecutions(ListExecutionsRequest.newBuilder().setPageSize(100).build())
        .getExecutionsList();
    assertEquals(before, after);

    server.restart();
    assertEquals(30, info().getExecutionCount(), "the replacement survives a restart");
  }

  @Test
  void cleanup_largeRemoval_rebuildsTheIndexAndSurvivesRestart() throws Exception {
    StringBuilder file = new StringBuilder("{\"executions\": [");
    for (int i = 0; i < 12_000; i++) {
      file.append(i == 0 ? "" : ",").append("{\"task_id\": \"t_").append(i % 4)
          .append("\", \"task_type\": \"x\", \"task_run_id\": \"").append(UUID.randomUUID())
          .append("\", \"timestamp\": \"2026-01-01T00:00:00+00:00\", \"success\": true, \"execution_time\": 1,")
          .append(" \"output_files\": [{\"path\": \"out/").append(i).append(".csv\"}]}");
    }
    file.append("]}");
    StreamCalls.importLog(server.asyncStub(), file.toString(), ImportMode.IMPORT_MODE_REPLACE);
    List<CleanupExecutionsResponse> real = cleanup(CleanupExecutionsRequest.newBuilder()
        .setMaxAgeDays(30).setMaxRunsPerTask(3).build());
    CleanupExecutionsResponse last = real.get(real.size() - 1);
    assertEquals(11_988, last.getResult().getRemovedCount());
    assertEquals(0, last.getResult().getRemovedRunIdsCount(), "over 10,000 ids only come in batches");
    List<String> streamed = real.stream().filter(CleanupExecutionsResponse::hasRemovedRuns)
        .flatMap(m -> m.getRemovedRuns().getRunIdsList().stream()).toList();
    assertEquals(11_988, new HashSet<>(streamed).size());
    // The change is declared durable once, before the removed ids, so an interrupted client knows.
    int committed = indexOfCommitted(real);
    assertEquals(11_988, real.get(committed).getProgress().getDone());
    assertTrue(committed < real.indexOf(real.stream().filter(CleanupExecutionsResponse::hasRemovedRuns)
        .findFirst().orElseThrow()));
    assertEquals(1, real.stream().filter(m -> isCommitted(m.getProgress())).count());
    assertEquals(12, info().getExecutionCount());
    assertEquals(4, info().getTaskCount());
    server.restart();
    assertEquals(12, info().getExecutionCount());
  }

  private static boolean isCommitted(Progress p) {
    return p.getStage().equals("committed");
  }

  private static int indexOfCommitted(List<CleanupExecutionsResponse> responses) {
    for (int i = 0; i < responses.size(); i++) {
      if (isCommitted(responses.get(i).getProgress())) {
        return i;
      }
    }
    throw new AssertionError("no committed event in " + responses.size() + " responses");
  }

  @Test
  void importMerge_addsOnlyUnknownRuns() throws Exception {
    for (int i = 0; i < 4; i++) {
      server.stub().recordExecution(record(run("t_a")));
    }
    String exported = StreamCalls.export(server.stub(), ExportFormat.EXPORT_FORMAT_JSON).text();
    server.stub().recordExecution(record(run("t_b")));
    StreamCalls.Import merged = StreamCalls.importLog(server.asyncStub(), exported, ImportMode.IMPORT_MODE_MERGE);
    assertEquals(0, merged.result().getResult().getImportedCount());
    assertTrue(merged.progress().stream().anyMatch(MaintenanceTest::isCommitted), merged.progress().toString());
    assertEquals(4, merged.result().getResult().getSkippedCount());
    assertEquals(5, merged.result().getResult().getExecutionCount());
  }

  @Test
  void importMergeDryRun_countsWhatTheLogWouldHoldAndChangesNothing() throws Exception {
    server.stub().recordExecution(record(run("t_keep")));
    String file = "{\"executions\": [{\"task_id\": \"t_new\", \"task_type\": \"x\", \"task_run_id\":"
        + " \"123e4567-e89b-12d3-a456-426614174000\", \"timestamp\": \"2026-01-01T00:00:00+00:00\","
        + " \"success\": true, \"execution_time\": 1}]}";
    var responses = new ArrayList<ImportLogResponse>();
    var done = new CompletableFuture<Void>();
    var requests = server.asyncStub().importLog(new StreamObserver<>() {
      public void onNext(ImportLogResponse m) {
        responses.add(m);
      }

      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      public void onCompleted() {
        done.complete(null);
      }
    });
    requests.onNext(ImportLogRequest.newBuilder().setOptions(ImportOptions.newBuilder()
        .setMode(ImportMode.IMPORT_MODE_MERGE).setDryRun(true)).build());
    requests.onNext(ImportLogRequest.newBuilder()
        .setChunk(ByteString.copyFromUtf8(file)).build());
    requests.onCompleted();
    done.get(30, TimeUnit.SECONDS);
    var result = responses.get(responses.size() - 1).getResult();
    assertTrue(result.getDryRun());
    assertTrue(responses.stream().noneMatch(m -> isCommitted(m.getProgress())), "a dry run commits nothing");
    assertEquals(1, result.getImportedCount());
    assertEquals(2, result.getExecutionCount());
    assertEquals(1, info().getExecutionCount());
  }

  @Test
  void exportCsvWithFiles_hasOneQuotedRowPerRun() {
    server.stub().recordExecution(record(run("t_csv").addOutputFiles(OutputFile.newBuilder()
        .setPath("out/a,b.csv")).setTaskType("=cmd")));
    String csv = StreamCalls.export(server.stub(), ExportFormat.EXPORT_FORMAT_CSV_WITH_FILES).text();
    String[] lines = csv.split("\r\n");
    assertEquals(2, lines.length);
    assertTrue(lines[1].contains("\"out/a,b.csv\""), lines[1]);
    assertTrue(lines[1].contains(",'=cmd,"), "formula-like cells are defused: " + lines[1]);
  }

  @Test
  void checkDependencies_answersPerDependencyWithReasons() {
    server.stub().recordExecution(record(run("t_ok")));
    server.stub().recordExecution(record(run("t_fail").setSuccess(false)));
    server.stub().recordExecution(record(run("t_old").setRecordTime(daysAgo(10))));
    CheckDependenciesResponse r = server.stub().checkDependencies(CheckDependenciesRequest.newBuilder()
        .addTaskIds("t_ok").addTaskIds("t_fail").addTaskIds("t_never").addTaskIds("t_old")
        .setMaxAge(Duration.newBuilder().setSeconds(86400)).build());
    assertFalse(r.getSatisfied());
    assertEquals(List.of(DependencyState.DEPENDENCY_STATE_SATISFIED, DependencyState.DEPENDENCY_STATE_FAILED,
            DependencyState.DEPENDENCY_STATE_NEVER_RUN, DependencyState.DEPENDENCY_STATE_STALE),
        r.getDependenciesList().stream().map(d -> d.getState()).toList());
    assertTrue(r.getDependencies(0).hasLatestSuccess());
    CheckDependenciesResponse ok = server.stub().checkDependencies(CheckDependenciesRequest.newBuilder()
        .addTaskIds("t_ok").addTaskIds("t_old").build());
    assertTrue(ok.getSatisfied());
  }

  @Test
  void getLogInfo_namesTheServerAndItsStore() {
    GetLogInfoResponse info = info();
    assertEquals(server.config().serverId(), info.getServerId());
    assertFalse(info.getServerId().isBlank());
    assertEquals(LogServerExtension.ON_POSTGRES ? "postgresql" : "json", info.getStore());
  }

  @JsonFileOnly
  @Test
  void getLogInfo_describesTheLog() throws Exception {
    server.stub().recordExecution(record(run("t_i")));
    server.server().store().flush();
    GetLogInfoResponse info = info();
    assertEquals(server.logFile().toString(), info.getPath());
    assertEquals(server.root().toAbsolutePath().normalize().toString(), info.getProjectRoot());
    assertEquals(1, info.getExecutionCount());
    assertEquals(1, info.getTaskCount());
    assertEquals(Files.size(server.logFile()), info.getSizeBytes());
    assertEquals("1.0.0", info.getVersion());
    assertTrue(info.hasCreateTime());
  }

  @Test
  void validate_streamsProgressAndFindsAFreshLogValid() {
    for (int i = 0; i < 3; i++) {
      server.stub().recordExecution(record(run("t_val")));
    }
    List<Progress> progress = new ArrayList<>();
    var it = server.stub().validateLog(ValidateLogRequest.getDefaultInstance());
    ValidationResult result = null;
    while (it.hasNext()) {
      var m = it.next();
      if (m.hasProgress()) {
        progress.add(m.getProgress());
      } else {
        result = m.getResult();
      }
    }
    assertTrue(result.getValid());
    assertEquals(3, result.getCheckedCount());
    assertTrue(progress.stream().anyMatch(p -> p.getStage().equals("runs") && p.getDone() == 3));
  }
}
