package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.WatchExecutionsRequest;
import dev.execlog.v1.WatchExecutionsResponse;
import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logs an operator can ship: JSON lines, a start and a stop line, the audit trail in its own file. */
class ServerLoggingIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path root;

  @Test
  void jsonFormat_everyLineIsJson_withStartStopAndAnAuditFile() throws Exception {
    // Taken as named: no %t or %h expansion, and no lock file beside it.
    Path audit = root.resolve("audit-%t.jsonl");
    ServerProcess server = ServerProcess.start(root, "--log-format", "json", "--audit-log", audit.toString());
    String runId;
    ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + server.port(), InsecureChannelCredentials.create())
        .build();
    try {
      ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub stub = ExecutionLogServiceGrpc.newBlockingStub(channel);
      runId = stub.recordExecution(record(run("t_logged"))).getExecution().getRunId();
      cancelAWatch(stub);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    assertEquals(143, server.stop(), "SIGTERM ends the process as systemd expects (SuccessExitStatus=143)");

    List<JsonNode> lines = new ArrayList<>();
    for (String line : server.output().split("\n")) {
      if (!line.isBlank()) {
        lines.add(JSON.readTree(line)); // throws on any line that is not JSON
      }
    }
    assertTrue(lines.get(0).get("message").asText().startsWith("settings "), "first, where the settings came from");
    JsonNode start = lines.get(1);
    assertEquals("info", start.get("level").asText());
    assertEquals("execlog.server", start.get("logger").asText());
    String started = start.get("message").asText();
    assertTrue(started.contains(ExecLogServer.VERSION) && started.contains(root.toString())
        && started.contains("127.0.0.1:" + server.port()) && started.contains("security: plaintext"), started);
    String stopped = lines.get(lines.size() - 1).get("message").asText();
    assertTrue(stopped.startsWith("execlog-server stopped") && stopped.contains("1 runs folded"), stopped);
    assertFalse(server.output().contains("execlog.audit"), "the audit trail went to its own file");
    assertFalse(server.output().contains("Exception"), "a cancelled watch is no stack trace: " + server.output());

    try (var files = Files.list(root)) {
      assertEquals(List.of(), files.filter(f -> f.getFileName().toString().contains(".lck")).toList());
    }
    List<String> auditLines = Files.readAllLines(audit).stream().filter(l -> !l.isBlank()).toList();
    assertEquals(1, auditLines.size(), auditLines.toString());
    JsonNode change = JSON.readTree(auditLines.get(0));
    assertEquals("changed", change.get("event").asText());
    assertEquals("RecordExecution", change.get("method").asText());
    assertTrue(change.get("change").asText().contains(runId), change.toString());
  }

  @Test
  void textFormatAtWarn_startLineHidden_nothingElseSaid() throws Exception {
    ServerProcess server = ServerProcess.start(root, "--log-level", "warn");
    assertEquals(143, server.stop());
    String output = server.output();
    assertFalse(output.contains("serving"), "the start line is info: " + output);
  }

  private static void cancelAWatch(ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub stub) throws Exception {
    Context.CancellableContext watching = Context.current().withCancellation();
    Iterator<WatchExecutionsResponse> watch = watching.call(() -> stub.watchExecutions(
        WatchExecutionsRequest.getDefaultInstance()));
    watch.next();
    watching.cancel(null);
    Thread.sleep(200);
  }
}
