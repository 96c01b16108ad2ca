package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.v1.Execution;
import dev.execlog.v1.FindOutputProducerRequest;
import dev.execlog.v1.GetExecutionRequest;
import dev.execlog.v1.ListTasksRequest;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The log file stays in the spec's format and survives restarts, crashes and other programs. */
@JsonFileOnly
class FileFormatTest {

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  private final ObjectMapper json = new ObjectMapper();

  private String specExample() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/spec-example.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private void installLog(String text) throws Exception {
    server.stop();
    Files.createDirectories(server.logFile().getParent());
    Files.writeString(server.logFile(), text);
    server.start();
  }

  @Test
  void specExample_loadsAndAnswersQueries() throws Exception {
    installLog(specExample());
    Execution run = server.stub().getExecution(GetExecutionRequest.newBuilder()
        .setRunId("a1b2c3d4-e5f6-7a8b-9c0d-1e2f3a4b5c6d").build()).getExecution();
    assertEquals("t_1P", run.getTaskId());
    assertEquals(120.5, run.getDuration().getSeconds() + run.getDuration().getNanos() / 1e9, 1e-9);
    long expected = LocalDateTime.parse("2025-05-01T13:00:00").atZone(ZoneId.systemDefault()).toEpochSecond();
    assertEquals(expected, run.getRecordTime().getSeconds());
    Execution producer = server.stub().findOutputProducer(FindOutputProducerRequest.newBuilder()
        .setPath("DATA/processed/t_1I/output/processed_customers.csv").build()).getExecution();
    assertEquals("t_1I", producer.getTaskId());
    assertEquals(2, server.stub().listTasks(ListTasksRequest.getDefaultInstance()).getTasksCount());
  }

  @Test
  void specExample_roundTripsWithSameKeysValuesAndUnknownFields() throws Exception {
    ObjectNode original = (ObjectNode) json.readTree(specExample());
    original.put("project_note", "kept");
    ((ObjectNode) original.get("executions").get(0)).put("custom_metric", 42);
    ((ObjectNode) original.get("tasks").get("t_1I")).put("owner", "data-team");
    installLog(json.writeValueAsString(original));
    server.stop();
    JsonNode written = json.readTree(server.logFile().toFile());
    server.start();

    List<String> keys = new ArrayList<>();
    written.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("tasks", "executions", "timestamp", "version", "last_modified", "project_note"), keys);
    assertEquals("1.0.0", written.get("version").asText());
    assertEquals("2025-05-01T13:10:00", written.get("timestamp").asText());
    assertEquals("kept", written.get("project_note").asText());
    assertEquals(42, written.get("executions").get(0).get("custom_metric").asInt());
    assertEquals("data-team", written.get("tasks").get("t_1I").get("owner").asText());
    for (int i = 0; i < 2; i++) {
      JsonNode before = original.get("executions").get(i);
      JsonNode after = written.get("executions").get(i);
      for (String key : List.of("task_id", "task_type", "task_run_id", "success", "execution_time", "report_path",
          "input_files", "output_files", "hostname")) {
        assertEquals(before.get(key), after.get(key), key);
      }
      // Same instant, now with an explicit offset.
      LocalDateTime local = LocalDateTime.parse(before.get("timestamp").asText());
      assertEquals(local.atZone(ZoneId.systemDefault()).toInstant(),
          OffsetDateTime.parse(after.get("timestamp").asText()).toInstant());
    }
    JsonNode summary = written.get("tasks").get("t_1P");
    assertEquals(1714505000L, original.get("tasks").get("t_1P").get("last_execution").asLong());
    assertEquals(OffsetDateTime.parse(written.get("executions").get(1).get("timestamp").asText()).toEpochSecond(),
        summary.get("last_execution").asLong());
    assertEquals("success", summary.get("last_status").asText());
    assertEquals("a1b2c3d4-e5f6-7a8b-9c0d-1e2f3a4b5c6d", summary.get("last_task_run_id").asText());
  }

  @Test
  void recordedRuns_reachTheFileWithinTheFoldIntervalAndExactlyAfterShutdown() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      ids.add(server.stub().recordExecution(record(run("t_file"))).getExecution().getRunId());
    }
    long deadline = System.currentTimeMillis() + 5_000;
    List<String> inFile = List.of();
    while (System.currentTimeMillis() < deadline) {
      inFile = runIdsInFile();
      if (inFile.size() == 20) {
        break;
      }
      Thread.sleep(50);
    }
    assertEquals(ids, inFile);
    ids.add(server.stub().recordExecution(record(run("t_file"))).getExecution().getRunId());
    server.stop();
    assertEquals(ids, runIdsInFile());
    try (var segments = Files.list(server.logFile().getParent())) {
      assertEquals(List.of(), segments.filter(p -> p.getFileName().toString().contains(".journal."))
          .filter(p -> fileSize(p) > 0).toList());
    }
    server.start();
  }

  private static long fileSize(Path p) {
    try {
      return Files.size(p);
    } catch (Exception e) {
      return -1;
    }
  }

  private List<String> runIdsInFile() throws Exception {
    if (!Files.exists(server.logFile())) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    json.readTree(server.logFile().toFile()).get("executions").forEach(e -> ids.add(e.get("task_run_id").asText()));
    return ids;
  }

  @Test
  void corruptLogAtStartup_refusesToStartAndLeavesFileUntouched() throws Exception {
    server.stop();
    byte[] corrupt = "{\"tasks\": {}, \"executions\": [ {\"task_id\": \"t\"".getBytes(StandardCharsets.UTF_8);
    Files.write(server.logFile(), corrupt);
    ExecLogException e = assertThrows(ExecLogException.class, () -> ExecLogServer.start(server.config(),
        InProcessServerBuilder.forName(InProcessServerBuilder.generateName())));
    assertEquals(ExecLogException.Kind.FAILED_PRECONDITION, e.kind());
    assertTrue(e.getMessage().contains("not a valid execution log"), e.getMessage());
    assertArrayEquals(corrupt, Files.readAllBytes(server.logFile()));
    Files.delete(server.logFile());
    server.start();
  }

  @Test
  void secondServerOnSameLog_failsAtOnceSayingTheLogIsInUse() {
    ExecLogException e = assertThrows(ExecLogException.class, () -> ExecLogServer.start(server.config(),
        InProcessServerBuilder.forName(InProcessServerBuilder.generateName())));
    assertTrue(e.getMessage().contains("in use"), e.getMessage());
  }

  @Test
  void lockFile_isHeldWithFlockSoPythonFilelockIsKeptOut() throws Exception {
    Path lock = Path.of(server.logFile() + ".lock");
    // util-linux flock(1) uses flock(2), the same call as Python's filelock.
    Process p = new ProcessBuilder("flock", "-n", lock.toString(), "true").redirectErrorStream(true).start();
    assertEquals(1, p.waitFor(), "flock -n should fail while the server holds the lock");
    server.stop();
    Process q = new ProcessBuilder("flock", "-n", lock.toString(), "true").redirectErrorStream(true).start();
    assertEquals(0, q.waitFor(), "the lock is released on shutdown");
    server.start();
  }

  @Test
  void writtenTimestamps_parseWithPythonFromisoformat() throws Exception {
    server.stub().recordExecution(record(run("t_py")));
    server.stop();
    Process p = new ProcessBuilder("python3", "-c",
        "import json,sys,datetime\n"
            + "d=json.load(open(sys.argv[1]))\n"
            + "[datetime.datetime.fromisoformat(e['timestamp']) for e in d['executions']]\n"
            + "datetime.datetime.fromisoformat(d['last_modified'])\n"
            + "print(len(d['executions']), d['tasks']['t_py']['last_status'])",
        server.logFile().toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.waitFor(), out);
    assertEquals("1 success", out);
    server.start();
  }

  @Test
  void tornJournalTail_isIgnoredButDamageBeforeGoodEntriesStopsTheStart() throws Exception {
    server.stub().recordExecution(record(run("t_j")));
    server.stop();
    Path segment = server.logFile().resolveSibling("execution_log.json.journal.000099");
    String good = "{\"op\":\"delete\",\"run_id\":\"nothing\"}";
    CRC32 crc = new CRC32();
    crc.update(good.getBytes(StandardCharsets.UTF_8));
    String line = String.format("%08x %s\n", crc.getValue(), good);
    Files.writeString(segment, line + "0000abcd {\"op\":\"pu");
    server.start();
    assertEquals(1, server.stub().listTasks(ListTasksRequest.getDefaultInstance()).getTasksCount());
    server.stop();
    Files.writeString(segment, "garbage line\n" + line);
    byte[] before = Files.readAllBytes(server.logFile());
    assertThrows(ExecLogException.class, () -> ExecLogServer.start(server.config(),
        InProcessServerBuilder.forName(InProcessServerBuilder.generateName())));
    assertTrue(Files.exists(segment), "a damaged journal is left for a person to look at");
    assertArrayEquals(before, Files.readAllBytes(server.logFile()));
    Files.delete(segment);
    server.start();
  }
}
