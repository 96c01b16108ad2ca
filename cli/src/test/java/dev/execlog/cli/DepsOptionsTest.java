package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execlog.cli.CliServerExtension.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** deps: "newer than" a task or run, and output files that must still exist. */
class DepsOptionsTest {

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension();

  @Test
  void deps_newerThanTask_staleUntilTheDependencyRunsAgain() {
    cli.record("t_1I", "ingestion", "--time", "2026-01-01T10:00:00Z");
    cli.record("t_1P", "profiling", "--time", "2026-01-01T11:00:00Z");

    Result stale = cli.run("deps", "t_1I", "--newer-than-task", "t_1P");
    cli.record("t_1I", "ingestion", "--time", "2026-01-01T12:00:00Z");
    Result fresh = cli.run("deps", "t_1I", "--newer-than-task", "t_1P");

    assertEquals(4, stale.exitCode(), stale.out());
    assertTrue(stale.out().contains("STALE"), stale.out());
    assertEquals(0, fresh.exitCode(), fresh.out() + fresh.err());
  }

  @Test
  void deps_newerThanRun_comparesWithThatRun() {
    cli.record("t_1I", "ingestion", "--time", "2026-01-01T10:00:00Z");
    String early = cli.record("t_1P", "profiling", "--time", "2026-01-01T09:00:00Z");
    String late = cli.record("t_1P", "profiling", "--time", "2026-01-01T11:00:00Z");

    assertEquals(0, cli.run("deps", "t_1I", "--newer-than-run", early).exitCode());
    assertEquals(4, cli.run("deps", "t_1I", "--newer-than-run", late).exitCode());
  }

  @Test
  void deps_requireOutputsExist_listsTheMissingPaths() throws Exception {
    Path present = cli.root().resolve("DATA/present.csv");
    Files.createDirectories(present.getParent());
    Files.writeString(present, "a,b\n");
    cli.record("t_1I", "ingestion", "--output", "DATA/present.csv", "--output", "DATA/gone.csv");

    assertEquals(0, cli.run("deps", "t_1I").exitCode(), "outputs are not looked at by default");
    Result human = cli.run("deps", "t_1I", "--require-outputs-exist");
    Result json = cli.run("deps", "t_1I", "--require-outputs-exist", "--json");

    assertEquals(4, human.exitCode(), human.err());
    assertTrue(human.out().contains("OUTPUTS_MISSING"), human.out());
    assertTrue(human.out().endsWith("Missing outputs of t_1I:\n  DATA/gone.csv\n"), human.out());
    JsonNode d = Json.one(json.out()).get("dependencies").get(0);
    assertEquals("OUTPUTS_MISSING", d.get("state").asText());
    assertEquals(List.of("DATA/gone.csv"), List.of(d.get("missing_output_paths").get(0).asText()));
    assertEquals(1, d.get("missing_output_paths").size());
  }

  @Test
  void deps_bothNewerThanOptions_isUsageError() {
    Result r = cli.run("deps", "t_1I", "--newer-than-task", "t_1P", "--newer-than-run", "x");

    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("mutually exclusive"), r.err());
  }
}
