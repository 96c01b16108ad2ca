package dev.execlog.server.migrate;

import static dev.execlog.server.ServerCommandLine.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.server.ServerCommandLine.Result;
import dev.execlog.server.postgres.SharedPostgres;
import dev.execlog.server.json.Timestamps;
import dev.execlog.server.ops.LogExporter;
import dev.execlog.server.store.LogStore;
import dev.execlog.server.store.StoreConfig;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code execlog-server migrate-log}: a log moved to PostgreSQL and back comes out the same. */
class MigrateLogCommandTest {

  /** A log as the Python library writes it, with keys execlog does not know at every level. */
  private static final String LOG = """
      {
        "tasks": {
          "t_clean": {"last_execution": "2026-03-01T10:00:00", "last_task_run_id": "r2", "task_type": "etl",
                      "success": true, "execution_time": 2.5, "owner": "data-team"},
          "t_report": {"last_execution": "2026-03-01T11:00:00", "last_task_run_id": "r3", "task_type": "report",
                       "success": false, "execution_time": 3, "hostname": "h"}
        },
        "executions": [
          {"task_id": "t_clean", "task_type": "etl", "task_run_id": "r1", "timestamp": "2026-03-01T09:00:00",
           "success": true, "execution_time": 1.25, "report_path": "reports/r1.json", "hostname": "h",
           "input_files": [{"name": "raw.csv", "path": "data/raw.csv", "size": 10}],
           "output_files": [{"path": "data/clean.csv", "type": "csv", "description": "", "rows": 1e3}],
           "queue": "night"},
          {"task_id": "t_clean", "task_type": "etl", "task_run_id": "r2", "timestamp": "2026-03-01T10:00:00",
           "success": true, "execution_time": 2.5, "report_path": "", "hostname": "h", "input_files": [],
           "output_files": [{"path": "data/clean.csv", "type": "csv", "description": "again"}]},
          {"task_id": "t_report", "task_type": "report", "task_run_id": "r3", "timestamp": "2026-03-01T11:00:00",
           "success": false, "execution_time": 3, "report_path": "", "hostname": "h",
           "input_files": [{"name": "clean.csv", "path": "data/clean.csv"}], "output_files": []}
        ],
        "timestamp": "2026-01-01T00:00:00",
        "version": "1.0.0",
        "last_modified": "2026-03-01T11:00:00",
        "pipeline": {"name": "nightly"}
      }
      """;

  private Path root;
  private String url;

  @BeforeEach
  void migratedDatabaseAndALogFile() throws Exception {
    root = Files.createTempDirectory("execlog-migrate-log-");
    Files.createDirectories(root.resolve("configs"));
    Files.writeString(root.resolve("configs/execution_log.json"), LOG);
    url = SharedPostgres.cluster().storeUrl(SharedPostgres.newDatabase("migrate_log"));
    assertEquals(0, run("migrate", "--store", url, "--root", root.toString()).exit());
  }

  @AfterEach
  void removeRoot() throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void jsonToPostgresAndBack_exportsTheSameFileButLastModified() throws Exception {
    Result there = run("migrate-log", "--root", root.toString(), "--from", "configs/execution_log.json", "--to", url);
    assertEquals(0, there.exit(), there.err());
    assertTrue(there.out().contains("copied 3 runs of 2 tasks"), there.out());
    String original = exportOf(root.resolve("configs/execution_log.json"));

    Result back = run("migrate-log", "--root", root.toString(), "--from", url, "--to", "restored.json");
    assertEquals(0, back.exit(), back.err());
    String restored = Files.readString(root.resolve("restored.json"));
    assertEquals(withoutLastModified(original), withoutLastModified(restored));
    assertTrue(restored.contains("\"owner\": \"data-team\""), "a task entry's own keys travel too");
    assertTrue(restored.contains("\"rows\": 1e3"), "numbers keep their spelling");
  }

  @Test
  void databaseThatHoldsRuns_isRefusedAndKeepsThem() throws Exception {
    assertEquals(0, run("migrate-log", "--root", root.toString(), "--from", "configs/execution_log.json",
        "--to", url).exit());
    Files.writeString(root.resolve("configs/other.json"), LOG.replace("\"r", "\"x"));
    Result again = run("migrate-log", "--root", root.toString(), "--from", "configs/other.json", "--to", url);
    assertEquals(1, again.exit());
    assertTrue(again.err().contains("already holds 3 runs"), again.err());
    Result back = run("migrate-log", "--root", root.toString(), "--from", url, "--to", "check.json");
    assertEquals(0, back.exit(), back.err());
    assertFalse(Files.readString(root.resolve("check.json")).contains("\"x1\""), "nothing of the refused copy");
  }

  @Test
  void logWithARepeatedRunId_isRefusedAndTheDatabaseStaysEmpty() throws Exception {
    Files.writeString(root.resolve("configs/execution_log.json"), LOG.replace("\"r2\"", "\"r1\""));
    Result r = run("migrate-log", "--root", root.toString(), "--from", "configs/execution_log.json", "--to", url);
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("the log holds 1 repeated run ids"), r.err());
    Result back = run("migrate-log", "--root", root.toString(), "--from", url, "--to", "empty.json");
    assertEquals(0, back.exit(), back.err());
    assertTrue(back.out().contains("copied 0 runs of 0 tasks"), back.out());
  }

  @Test
  void existingFileOrTwoFiles_areRefusedChangingNothing() throws Exception {
    byte[] before = Files.readAllBytes(root.resolve("configs/execution_log.json"));
    Result onto = run("migrate-log", "--root", root.toString(), "--from", url, "--to", "configs/execution_log.json");
    assertEquals(1, onto.exit());
    assertTrue(onto.err().contains("exists already"), onto.err());
    assertEquals(new String(before), Files.readString(root.resolve("configs/execution_log.json")));
    Result files = run("migrate-log", "--root", root.toString(), "--from", "a.json", "--to", "b.json");
    assertEquals(2, files.exit());
  }

  /** The log as the JSON store writes it (the server's export of it). */
  private String exportOf(Path file) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (LogStore store = LogStore.open(new StoreConfig(file, Duration.ofDays(1), Timestamps.systemDefault(), "h"),
        p -> p)) {
      new LogExporter(store).exportAll(LogExporter.Format.JSON, out);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String withoutLastModified(String log) {
    return String.join("\n", log.lines().filter(l -> !l.startsWith("  \"last_modified\": ")).toList());
  }
}
