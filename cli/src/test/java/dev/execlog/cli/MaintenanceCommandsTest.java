package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execlog.cli.CliServerExtension.Result;
import dev.execlog.server.JsonFileOnly;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** cleanup, validate, export and import against a real server, with plain progress on stderr. */
class MaintenanceCommandsTest {

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension();

  @TempDir
  Path dir;

  private void recordFiveRuns() {
    for (int day = 1; day <= 5; day++) {
      cli.record("t_1I", "ingestion", "--time", "2026-0" + day + "-01T10:00:00Z");
    }
  }

  @Test
  void cleanup_dryRun_listsRunsAndRemovesNothing() {
    recordFiveRuns();

    Result r = cli.run("cleanup", "--dry-run", "--max-age-days", "0", "--max-runs-per-task", "2");

    assertEquals(0, r.exitCode(), r.err());
    assertEquals(3, r.lines().size(), r.out());
    assertTrue(r.err().contains("execlog: cleanup: scan: "), "one plain line per stage: " + r.err());
    assertTrue(r.err().contains("Dry run: cleanup would remove 3 runs"), r.err());
    assertEquals(5, Json.lines(cli.run("history", "--json").out()).size());
  }

  @Test
  void cleanup_real_removesBeyondMaxRunsPerTask() {
    recordFiveRuns();

    Result r = cli.run("cleanup", "--max-age-days", "0", "--max-runs-per-task", "2", "--json");

    assertEquals(0, r.exitCode(), r.err());
    JsonNode result = Json.one(r.out());
    assertEquals(3, result.get("removed_count").asInt());
    assertEquals(false, result.get("dry_run").asBoolean());
    assertEquals(3, result.get("removed_run_ids").size());
    assertEquals(2, Json.lines(cli.run("history", "--json").out()).size());
  }

  @Test
  void validate_healthyLog_exitsZero() {
    recordFiveRuns();

    Result r = cli.run("validate", "--no-progress");

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.err().contains("The log is valid (5 runs checked)."), r.err());
    assertTrue(Json.one(cli.run("validate", "--json").out()).get("valid").asBoolean());
  }

  @JsonFileOnly
  @Test
  void validate_duplicateRunIdInFile_exitsLogInvalid() throws Exception {
    String run = "{\"task_id\":\"t_1I\",\"task_type\":\"ingestion\",\"task_run_id\":\"f8a7d3e1-2b56-4c9a-8f7e-3d1a2b3c4d5e\","
        + "\"timestamp\":\"2025-05-01T12:00:00\",\"success\":true,\"execution_time\":%s,\"report_path\":\"\","
        + "\"input_files\":[],\"output_files\":[],\"hostname\":\"h\"}";
    cli.restartWithLog("{\"tasks\":{},\"executions\":[" + run.formatted("1") + "," + run.formatted("2") + "],"
        + "\"timestamp\":\"2025-05-01T13:10:00\",\"version\":\"1.0.0\",\"last_modified\":\"2025-05-01T13:10:00\"}");

    Result r = cli.run("validate");

    assertEquals(5, r.exitCode(), r.err());
    assertTrue(r.out().contains("task_run_id"), "the problem names its field: " + r.out());
    assertTrue(r.err().contains("The log is INVALID"), r.err());
  }

  @Test
  void export_jsonToFile_matchesServerChecksumAndPrintsResult() throws Exception {
    recordFiveRuns();
    Path file = dir.resolve("backup/log.json");

    Result r = cli.run("export", "-o", file.toString(), "--json");

    assertEquals(0, r.exitCode(), r.err());
    JsonNode result = Json.one(r.out());
    byte[] bytes = Files.readAllBytes(file);
    assertEquals(5, result.get("execution_count").asInt());
    assertEquals(bytes.length, result.get("size_bytes").asLong());
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
        result.get("sha256").asText());
    assertEquals(5, new ObjectMapper().readTree(bytes).get("executions").size());
    try (var left = Files.list(file.getParent())) {
      assertEquals(1, left.count(), "no temporary file left behind");
    }
  }

  @Test
  void export_csvOfOneTaskToStdout_writesDataOnlyToStdout() {
    recordFiveRuns();
    cli.record("t_1P", "profiling");

    Result r = cli.run("export", "--format", "CSV", "--task", "t_1P");

    assertEquals(0, r.exitCode(), r.err());
    assertEquals(2, r.lines().size(), "header and one row: " + r.out());
    assertEquals("task_id,task_type,task_run_id,timestamp,success,execution_time,report_path,input_files_count,"
        + "output_files_count,hostname", r.lines().get(0), "the reference library's columns");
    assertTrue(r.err().contains("Exported 1 runs"), r.err());
  }

  @Test
  void import_backupAfterRemoval_mergeRestoresAndDryRunChangesNothing() throws Exception {
    recordFiveRuns();
    Path file = dir.resolve("log.json");
    assertEquals(0, cli.run("export", "-o", file.toString()).exitCode());
    String removed = Json.lines(cli.run("history", "--json").out()).get(0).get("task_run_id").asText();
    cli.run("remove", removed);

    JsonNode dry = Json.one(cli.run("import", "--dry-run", file.toString(), "--json").out());
    assertEquals(true, dry.get("dry_run").asBoolean());
    assertEquals(4, Json.lines(cli.run("history", "--json").out()).size());

    Result merged = cli.run("import", "--merge", file.toString(), "--json");
    assertEquals(0, merged.exitCode(), merged.err());
    JsonNode result = Json.one(merged.out());
    assertEquals(1, result.get("imported_count").asInt());
    assertEquals(4, result.get("skipped_count").asInt());
    assertEquals(0, cli.run("show", removed).exitCode());
  }

  @Test
  void import_replaceFromStdin_replacesTheLog() throws Exception {
    recordFiveRuns();
    Path file = dir.resolve("log.json");
    cli.run("export", "-o", file.toString());
    cli.record("t_new", "ingestion");

    Result r = cli.runWithStdin(Files.readString(file), "import", "--replace", "-");

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("the log holds 5 runs"), r.out());
    assertEquals(3, cli.run("latest", "t_new").exitCode());
  }

  @Test
  void import_notALog_exitsErrorAndChangesNothing() {
    recordFiveRuns();

    Result r = cli.runWithStdin("this is not json", "import", "--replace", "-");

    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("\nexeclog: import -: "), "progress lines, then the error: " + r.err());
    assertEquals(5, Json.lines(cli.run("history", "--json").out()).size());
  }

  @Test
  void import_missingFile_exitsError() {
    Result r = cli.run("import", dir.resolve("none.json").toString());

    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("no such file"), r.err());
    assertFalse(r.err().contains("at dev.execlog"), "no stack trace without --verbose");
  }
}
