package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execlog.cli.CliServerExtension.Result;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** deps: exit 0 when every dependency is satisfied, 4 otherwise. */
class DepsCommandTest {

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension();

  @Test
  void deps_allSucceeded_exitsZero() {
    cli.record("t_1I", "ingestion");
    cli.record("t_1P", "profiling");

    Result r = cli.run("deps", "t_1I", "t_1P");

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().lines().skip(1).allMatch(l -> l.contains("SATISFIED")), r.out());
    assertTrue(r.err().contains("All 2 dependencies are satisfied."), r.err());
  }

  @Test
  void deps_neverRunTask_exitsDependenciesUnmet() {
    cli.record("t_1I", "ingestion");

    Result r = cli.run("deps", "t_1I", "t_none", "--json");

    assertEquals(4, r.exitCode());
    JsonNode report = Json.one(r.out());
    assertEquals(false, report.get("satisfied").asBoolean());
    assertEquals("SATISFIED", report.get("dependencies").get(0).get("state").asText());
    assertEquals("NEVER_RUN", report.get("dependencies").get(1).get("state").asText());
    assertTrue(report.get("dependencies").get(1).get("latest").isNull());
  }

  @Test
  void deps_oldSuccessWithMaxAge_isStale() {
    cli.record("t_1I", "ingestion", "--time", Instant.now().minus(2, ChronoUnit.DAYS).toString());

    Result r = cli.run("deps", "t_1I", "--max-age", "24h");

    assertEquals(4, r.exitCode());
    assertTrue(r.out().contains("STALE"), r.out());
    assertEquals(0, cli.run("deps", "t_1I", "--max-age", "3d").exitCode());
  }

  @Test
  void deps_newestRunFailedWithRequireLatestSuccess_isFailed() {
    cli.record("t_1I", "ingestion", "--time", "2026-01-01T10:00:00Z");
    cli.record("t_1I", "ingestion", "--time", "2026-01-02T10:00:00Z", "--failed");

    assertEquals(0, cli.run("deps", "t_1I").exitCode(), "an earlier success counts by default");
    Result strict = cli.run("deps", "t_1I", "--require-latest-success");
    assertEquals(4, strict.exitCode());
    assertTrue(strict.out().contains("FAILED"), strict.out());
  }
}
