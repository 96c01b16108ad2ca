package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execlog.cli.CliServerExtension.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;

/**
 * stats against figures worked out by hand. t_S ran 10s, 20s, 60s (failed) on 2026-01-05 and 30s on
 * 2026-01-06: 4 runs, 3 succeeded (75%), mean 30s; nearest rank over 10, 20, 30, 60 gives p50 20s
 * (rank 2) and p95 60s (rank 4). Per day: 01-05 has p50 20s and max 60s, 01-06 30s. t_T ran once, 5s.
 */
class StatsCommandTest {

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension();

  @BeforeEach
  void recordRuns() {
    cli.record("t_S", "transform", "--time", "2026-01-05T10:00:00Z", "--duration", "10s");
    cli.record("t_S", "transform", "--time", "2026-01-05T11:00:00Z", "--duration", "20s");
    cli.record("t_S", "transform", "--time", "2026-01-05T12:00:00Z", "--duration", "60s", "--failed");
    cli.record("t_S", "transform", "--time", "2026-01-06T09:00:00Z", "--duration", "30s");
    cli.record("t_T", "report", "--time", "2026-01-06T10:00:00Z", "--duration", "5s");
  }

  @Test
  void stats_oneTask_tableAndChartHaveHandComputedFigures() {
    Result r = cli.run("stats", "t_S");

    assertEquals(0, r.exitCode(), r.err());
    assertEquals("TASK  RUNS  SUCCESS  MEAN  P50  P95     MAX", r.lines().get(0));
    assertEquals("t_S   4     75%      30s   20s  1m 00s  1m 00s", r.lines().get(1));
    assertEquals("", r.lines().get(2));
    assertTrue(r.lines().get(3).startsWith("DAY (UTC)   █ MEDIAN ░ LONGEST"), r.out());
    String bar20of60 = "█".repeat(10) + "▋" + "░".repeat(21);
    assertEquals("2026-01-05  " + bar20of60 + "  20s  1m 00s  3", r.lines().get(4));
    assertEquals("2026-01-06  " + "█".repeat(16) + " ".repeat(16) + "  30s  30s     1", r.lines().get(5));
    assertEquals(6, r.lines().size(), r.out());
  }

  @Test
  void stats_allTasks_rowPerTaskAndTotal() {
    Result r = cli.run("stats", "--by", "none");

    assertEquals(0, r.exitCode(), r.err());
    assertEquals(4, r.lines().size(), r.out());
    assertTrue(r.lines().get(1).matches("t_S +4 +75% +30s +20s +1m 00s +1m 00s"), r.out());
    assertTrue(r.lines().get(2).matches("t_T +1 +100% +5s +5s +5s +5s"), r.out());
    // 5 runs: 10, 20, 60, 30, 5 -> mean 25s; sorted 5, 10, 20, 30, 60: p50 rank 3 = 20s, p95 rank 5 = 60s
    assertTrue(r.lines().get(3).matches("\\(all tasks\\) +5 +80% +25s +20s +1m 00s +1m 00s"), r.out());
  }

  @Test
  void stats_json_hasHandComputedValues() {
    Result r = cli.run("stats", "t_S", "--json");

    assertEquals(0, r.exitCode(), r.err());
    JsonNode total = Json.one(r.out()).get("total");
    assertEquals("t_S", total.get("task_id").asText());
    assertEquals(4, total.get("run_count").asLong());
    assertEquals(3, total.get("success_count").asLong());
    assertEquals(0.75, total.get("success_rate").asDouble(), 1e-9);
    assertEquals(30.0, total.get("mean_execution_time").asDouble(), 1e-9);
    assertEquals(20.0, total.get("p50_execution_time").asDouble(), 1e-9);
    assertEquals(60.0, total.get("p95_execution_time").asDouble(), 1e-9);
    assertEquals(60.0, total.get("max_execution_time").asDouble(), 1e-9);
    JsonNode buckets = total.get("buckets");
    assertEquals(2, buckets.size());
    assertEquals("2026-01-05T00:00:00Z", buckets.get(0).get("start").asText());
    assertEquals("2026-01-06T00:00:00Z", buckets.get(0).get("end").asText());
    assertEquals(3, buckets.get(0).get("run_count").asLong());
    assertEquals(20.0, buckets.get(0).get("p50_execution_time").asDouble(), 1e-9);
    assertEquals(30.0, buckets.get(1).get("max_execution_time").asDouble(), 1e-9);
  }

  @Test
  void stats_window_countsOnlyRunsInside() {
    Result r = cli.run("stats", "t_S", "--from", "2026-01-05T10:30:00Z", "--to", "2026-01-06T00:00:00Z", "--json");

    assertEquals(0, r.exitCode(), r.err());
    JsonNode total = Json.one(r.out()).get("total");
    assertEquals(2, total.get("run_count").asLong(), "the 20s and 60s runs");
    assertEquals(0.5, total.get("success_rate").asDouble(), 1e-9);
  }

  @Test
  void stats_svg_isWellFormedXmlWithABarPerBucket() throws Exception {
    Path file = cli.root().resolve("charts/durations.svg");

    Result r = cli.run("stats", "t_S", "--format", "svg", "-o", file.toString());

    assertEquals(0, r.exitCode(), r.err());
    Document svg = LineageCommandTest.parse(Files.readString(file));
    assertEquals("svg", svg.getDocumentElement().getTagName());
    String text = svg.getDocumentElement().getTextContent();
    assertTrue(text.contains("Durations of t_S per day (UTC)"), text);
    assertTrue(text.contains("2026-01-05") && text.contains("2026-01-06"), text);
    assertTrue(text.contains("2026-01-05: median 20s over 3 runs"), text);
    // background, two legend swatches, then a max bar and a p50 bar per bucket
    assertEquals(1 + 2 + 2 * 2, svg.getElementsByTagName("rect").getLength());
  }

  @Test
  void stats_noRunsInWindow_saysSoAndSvgStillParses() throws Exception {
    Result table = cli.run("stats", "--from", "2030-01-01");
    Result svg = cli.run("stats", "--from", "2030-01-01", "--format", "svg");

    assertEquals(0, table.exitCode(), table.err());
    assertEquals("", table.out());
    assertTrue(table.err().contains("No runs in this window."), table.err());
    assertEquals(0, svg.exitCode(), svg.err());
    assertTrue(LineageCommandTest.parse(svg.out()).getDocumentElement().getTextContent()
        .contains("No runs in this window"));
  }

  @Test
  void stats_badOptions_usageOrNotFound() {
    assertEquals(2, cli.run("stats", "--since", "7d", "--from", "2026-01-01").exitCode());
    assertEquals(2, cli.run("stats", "--format", "svg", "--by", "none").exitCode());
    assertEquals(2, cli.run("stats", "--by", "month").exitCode());
    assertEquals(3, cli.run("stats", "t_none").exitCode());
  }
}
