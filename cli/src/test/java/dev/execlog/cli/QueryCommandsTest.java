package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execlog.cli.CliServerExtension.Result;
import dev.execlog.server.JsonFileOnly;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** record, show, history, latest, producer, tasks and info against a real server. */
class QueryCommandsTest {

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension();

  @Test
  void record_validRun_printsRunIdOnStdoutAndNoteOnStderr() {
    Result r = cli.run("record", "--task", "t_1I", "--type", "ingestion", "--duration", "45.2s");

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().strip().matches("[0-9a-f-]{36}"), r.out());
    assertTrue(r.err().contains("Recorded t_1I (ingestion, success, 45.2s)"), r.err());
  }

  @Test
  void record_json_printsStoredRunWithSpecFieldNames() {
    Result r = cli.run("record", "--json", "--task", "t_1I", "--type", "ingestion", "-d", "2m5s", "--failed",
        "--report", "DATA/reports/t_1I.json", "--input", "customers=DATA/raw/customers.csv",
        "--output", "DATA/out/c.csv::csv::Processed customers", "--hostname", "box-1");

    assertEquals(0, r.exitCode(), r.err());
    JsonNode run = Json.one(r.out());
    assertEquals("t_1I", run.get("task_id").asText());
    assertEquals("ingestion", run.get("task_type").asText());
    assertEquals(false, run.get("success").asBoolean());
    assertEquals(125.0, run.get("execution_time").asDouble(), 1e-9);
    assertEquals("DATA/reports/t_1I.json", run.get("report_path").asText());
    assertEquals("customers", run.get("input_files").get(0).get("name").asText());
    assertEquals("DATA/raw/customers.csv", run.get("input_files").get(0).get("path").asText());
    assertEquals("csv", run.get("output_files").get(0).get("type").asText());
    assertEquals("Processed customers", run.get("output_files").get(0).get("description").asText());
    assertEquals("box-1", run.get("hostname").asText());
    assertTrue(run.get("timestamp").asText().endsWith("Z"));
    assertTrue(run.has("task_run_id"));
    assertEquals("", r.err(), "--json keeps stderr quiet");
  }

  @Test
  void record_sameRunIdTwice_addsNothingAndSaysSo() {
    String id = "5b0c7a52-8f8e-4f59-9d1c-3e0b8f0d2a11";
    cli.record("t_1I", "ingestion", "--run-id", id, "--time", "2026-01-01T10:00:00Z");
    Result again = cli.run("record", "--task", "t_1I", "--type", "ingestion", "--run-id", id,
        "--time", "2026-01-01T10:00:00Z");

    assertEquals(0, again.exitCode(), again.err());
    assertTrue(again.err().contains("already recorded"), again.err());
    assertEquals(1, Json.lines(cli.run("history", "--json").out()).size());
  }

  @Test
  void show_knownRun_printsAlignedBlockWithHumanTimes() {
    String id = cli.record("t_1I", "ingestion", "-d", "125", "--input", "DATA/raw/customers.csv");

    Result r = cli.run("show", id);

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("Run        " + id), r.out());
    assertTrue(r.out().contains("Duration   2m 05s"), r.out());
    assertTrue(r.out().matches("(?s).*Recorded   \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+ \\(just now\\).*"), r.out());
    assertTrue(r.out().contains("customers: DATA/raw/customers.csv"), "input named after its file: " + r.out());
  }

  @Test
  void history_severalTasks_listsNewestFirstAsTableOrJsonLines() {
    cli.record("t_1I", "ingestion", "--time", "2026-01-01T10:00:00Z");
    cli.record("t_1P", "profiling", "--time", "2026-01-02T10:00:00Z");
    cli.record("t_1I", "ingestion", "--time", "2026-01-03T10:00:00Z", "--failed");

    Result table = cli.run("history");
    List<JsonNode> json = Json.lines(cli.run("history", "--json").out());
    List<JsonNode> onlyT1I = Json.lines(cli.run("history", "t_1I", "--success-only", "--json").out());
    List<JsonNode> limited = Json.lines(cli.run("history", "--json", "-n", "1").out());
    List<JsonNode> since = Json.lines(cli.run("history", "--json", "--since", "2026-01-02").out());

    assertEquals(0, table.exitCode(), table.err());
    assertTrue(table.lines().get(0).startsWith("RUN ID"), table.out());
    assertEquals(4, table.lines().size());
    assertEquals(List.of("t_1I", "t_1P", "t_1I"), json.stream().map(n -> n.get("task_id").asText()).toList());
    assertEquals(1, onlyT1I.size());
    assertEquals(1, limited.size());
    assertEquals(2, since.size());
  }

  @Test
  void history_emptyLog_printsNothingOnStdoutAndExitsZero() {
    Result r = cli.run("history");

    assertEquals(0, r.exitCode());
    assertEquals("", r.out());
    assertTrue(r.err().contains("No runs found."));
  }

  @Test
  void latest_successOnlyByDefault_skipsNewerFailure() {
    String ok = cli.record("t_1I", "ingestion", "--time", "2026-01-01T10:00:00Z");
    String failed = cli.record("t_1I", "ingestion", "--time", "2026-01-02T10:00:00Z", "--failed");

    assertEquals(ok, Json.one(cli.run("latest", "t_1I", "--json").out()).get("task_run_id").asText());
    assertEquals(failed,
        Json.one(cli.run("latest", "t_1I", "--include-failed", "--json").out()).get("task_run_id").asText());
  }

  @Test
  void latest_noSuccessfulRun_exitsNotFoundWithHint() {
    cli.record("t_1I", "ingestion", "--failed");

    Result r = cli.run("latest", "t_1I");

    assertEquals(3, r.exitCode());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("execlog: latest run of t_1I: task t_1I has no successful run"), r.err());
    assertTrue(r.err().contains("--include-failed"), r.err());
  }

  @Test
  void producer_recordedOutput_findsNewestProducerOrAll() {
    String first = cli.record("t_1I", "ingestion", "--time", "2026-01-01T10:00:00Z", "--output", "DATA/out/c.csv");
    String second = cli.record("t_1J", "ingestion", "--time", "2026-01-02T10:00:00Z", "--output", "DATA/out/c.csv");

    Result one = cli.run("producer", "DATA/out/c.csv", "--json");
    Result all = cli.run("producer", "DATA/out/c.csv", "--all", "--json");
    Result human = cli.run("producer", "DATA/out/c.csv");

    assertEquals(second, Json.one(one.out()).get("task_run_id").asText());
    assertEquals(List.of(second, first), Json.lines(all.out()).stream().map(n -> n.get("task_run_id").asText()).toList());
    assertTrue(human.out().contains("Task       t_1J (ingestion)"), human.out());
  }

  @Test
  void producer_unknownFile_exitsNotFound() {
    Result r = cli.run("producer", "DATA/none.csv");

    assertEquals(3, r.exitCode());
    assertTrue(r.err().contains("no recorded run lists DATA/none.csv"), r.err());
    assertEquals(3, cli.run("producer", "DATA/none.csv", "--all").exitCode());
  }

  @Test
  void tasks_twoTasks_listsSummariesWithSpecKeys() {
    cli.record("t_1P", "profiling", "--failed");
    cli.record("t_1I", "ingestion");
    cli.record("t_1I", "ingestion");

    Result table = cli.run("tasks");
    List<JsonNode> json = Json.lines(cli.run("tasks", "--json").out());

    assertTrue(table.lines().get(0).startsWith("TASK"), table.out());
    assertEquals(List.of("t_1I", "t_1P"), json.stream().map(n -> n.get("task_id").asText()).toList());
    assertEquals(2, json.get(0).get("run_count").asInt());
    assertEquals("failed", json.get(1).get("last_status").asText());
    assertTrue(json.get(0).has("last_task_run_id") && json.get(0).has("last_execution"));
  }

  @JsonFileOnly
  @Test
  void info_freshLog_describesFileAndCounts() {
    cli.record("t_1I", "ingestion");

    Result human = cli.run("info");
    JsonNode json = Json.one(cli.run("info", "--json").out());

    assertEquals(0, human.exitCode(), human.err());
    assertTrue(human.out().contains("Runs           1"), human.out());
    assertEquals(1, json.get("execution_count").asInt());
    assertEquals(cli.root().toAbsolutePath().normalize().toString(), json.get("project_root").asText());
    assertTrue(json.get("path").asText().endsWith("execution_log.json"));
  }
}
