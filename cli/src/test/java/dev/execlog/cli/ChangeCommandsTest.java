package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execlog.cli.CliServerExtension.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** track-inputs, track-outputs, update and remove against a real server. */
class ChangeCommandsTest {

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension();

  @Test
  void trackInputs_newestRun_addsFilesOnce() {
    String id = cli.record("t_1P", "profiling");

    cli.run("track-inputs", "t_1P", "DATA/raw/a.csv");
    Result r = cli.run("track-inputs", "t_1P", "DATA/raw/a.csv", "DATA/raw/b.csv", "--json");

    assertEquals(0, r.exitCode(), r.err());
    JsonNode run = Json.one(r.out());
    assertEquals(id, run.get("task_run_id").asText());
    assertEquals(2, run.get("input_files").size());
  }

  @Test
  void trackOutputs_newestRun_makesRunTheProducer() {
    String id = cli.record("t_1P", "profiling");

    Result r = cli.run("track-outputs", "t_1P", "DATA/out/profile.json");

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("DATA/out/profile.json"), r.out());
    assertEquals(id, Json.one(cli.run("producer", "DATA/out/profile.json", "--json").out()).get("task_run_id").asText());
  }

  @Test
  void trackInputs_unknownTask_exitsNotFound() {
    Result r = cli.run("track-inputs", "t_none", "DATA/raw/a.csv");

    assertEquals(3, r.exitCode());
    assertTrue(r.err().startsWith("execlog: track input files of t_none: "), r.err());
  }

  @Test
  void update_givenFields_changesOnlyThem() {
    String id = cli.record("t_1I", "ingestion", "-d", "10", "--report", "DATA/r1.json", "--output", "DATA/o.csv",
        "--hostname", "h1");

    Result r = cli.run("update", id, "--failed", "--duration", "1h2m", "--clear-outputs", "--json");

    assertEquals(0, r.exitCode(), r.err());
    JsonNode run = Json.one(r.out());
    assertEquals(false, run.get("success").asBoolean());
    assertEquals(3720.0, run.get("execution_time").asDouble(), 1e-9);
    assertEquals(0, run.get("output_files").size());
    assertEquals("DATA/r1.json", run.get("report_path").asText(), "not in the mask, so unchanged");
    assertEquals("h1", run.get("hostname").asText());
  }

  @Test
  void update_noFieldOptions_exitsUsage() {
    String id = cli.record("t_1I", "ingestion");

    Result r = cli.run("update", id);

    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("nothing to change"), r.err());
  }

  @Test
  void update_successAndFailedTogether_exitsUsage() {
    Result r = cli.run("update", "any", "--success", "--failed");

    assertEquals(2, r.exitCode());
    assertTrue(r.err().startsWith("execlog: "), r.err());
  }

  @Test
  void remove_knownRun_printsItAndShowThenExitsNotFound() {
    String id = cli.record("t_1I", "ingestion");

    Result r = cli.run("remove", id, "--json");

    assertEquals(0, r.exitCode(), r.err());
    assertEquals(id, Json.one(r.out()).get("task_run_id").asText());
    assertEquals(3, cli.run("show", id).exitCode());
  }
}
