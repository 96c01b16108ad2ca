package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.cli.CliServerExtension.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code execlog cleanup} keeps what the reference library keeps: a run goes only when it is both
 * older than the age and beyond its task's newest runs, unless the stricter rule is named.
 */
class CleanupRuleCommandsTest {

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension();

  private final Instant now = Instant.now();

  /** Records a run of {@code taskId} that happened {@code age} ago and returns its id. */
  private String recordAged(String taskId, Duration age) {
    return cli.record(taskId, "ingestion", "--time", now.minus(age).toString());
  }

  /** Records {@code count} runs, one hour apart, the newest {@code age} ago; returns their ids newest first. */
  private List<String> recordHourly(String taskId, Duration age, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(recordAged(taskId, age.plusHours(i)));
    }
    return ids;
  }

  private Set<String> historyIds(String taskId) {
    Set<String> ids = new HashSet<>();
    Json.lines(cli.run("history", "--json", "--all", taskId).out()).forEach(n -> ids.add(n.get("task_run_id").asText()));
    return ids;
  }

  private static Set<String> removedIds(Result r) {
    assertEquals(0, r.exitCode(), r.err());
    Set<String> ids = new HashSet<>();
    Json.one(r.out()).get("removed_run_ids").forEach(n -> ids.add(n.asText()));
    return ids;
  }

  @Test
  void cleanup_defaults_taskIdleFor45DaysKeepsItsTenNewest() {
    List<String> ids = recordHourly("t_idle", Duration.ofDays(45), 12);

    Set<String> removed = removedIds(cli.run("cleanup", "--no-progress", "--json"));

    assertEquals(Set.copyOf(ids.subList(10, 12)), removed, "only the two beyond the newest ten go");
    assertEquals(Set.copyOf(ids.subList(0, 10)), historyIds("t_idle"));
  }

  @Test
  void cleanup_defaults_dailyTaskKeepsItsLast30DaysAndNothingOlder() {
    List<String> ids = new ArrayList<>();
    for (int day = 0; day < 40; day++) {
      ids.add(recordAged("t_daily", Duration.ofDays(day).plusHours(1)));
    }

    Set<String> removed = removedIds(cli.run("cleanup", "--no-progress", "--json"));

    assertEquals(Set.copyOf(ids.subList(30, 40)), removed, "the ten runs older than 30 days, all beyond the newest 10");
    assertEquals(Set.copyOf(ids.subList(0, 30)), historyIds("t_daily"), "every run of the last 30 days stays");
  }

  @Test
  void cleanup_maxRunsPerTaskZero_removesOnlyRunsOlderThanTheAge() {
    List<String> young = recordHourly("t_1I", Duration.ofDays(1), 3);
    List<String> old = recordHourly("t_1I", Duration.ofDays(40), 3);

    Set<String> removed = removedIds(cli.run("cleanup", "--no-progress", "--json", "--max-runs-per-task", "0"));

    assertEquals(Set.copyOf(old), removed);
    assertEquals(Set.copyOf(young), historyIds("t_1I"));
  }

  @Test
  void cleanup_dryRunAndRealRun_pickExactlyTheSameRuns() {
    recordHourly("t_1I", Duration.ofDays(50), 8);
    recordHourly("t_1I", Duration.ofDays(2), 2);
    recordHourly("t_1P", Duration.ofDays(70), 4);
    recordHourly("t_2A", Duration.ofHours(1), 6);
    String[] options = {"--no-progress", "--json", "--max-age-days", "30", "--max-runs-per-task", "3"};

    Set<String> dry = removedIds(cli.run("cleanup", concat(options, "--dry-run")));
    assertEquals(20, Json.lines(cli.run("history", "--json", "--all").out()).size(), "a dry run changes nothing");
    Set<String> real = removedIds(cli.run("cleanup", options));

    assertEquals(8, dry.size(), "t_1I keeps its 2 young runs and 1 more (7 go), t_1P its newest 3 (1 goes): " + dry);
    assertEquals(dry, real);
  }

  @Test
  void cleanup_stricterRule_onlyWhenNamed() {
    recordHourly("t_idle", Duration.ofDays(45), 3);

    Set<String> byDefault = removedIds(cli.run("cleanup", "--no-progress", "--json", "--dry-run"));
    Set<String> named = removedIds(cli.run("cleanup", "--no-progress", "--json", "--dry-run",
        "--rule", "old-or-beyond-count"));
    Set<String> libraryByName = removedIds(cli.run("cleanup", "--no-progress", "--json", "--dry-run",
        "--rule", "old-and-beyond-count"));

    assertEquals(Set.of(), byDefault, "a task idle for 45 days keeps its runs");
    assertEquals(historyIds("t_idle"), named, "the stricter rule removes every run older than the age");
    assertEquals(Set.of(), libraryByName);
  }

  @Test
  void cleanup_unknownRule_exitsUsage() {
    Result r = cli.run("cleanup", "--rule", "newest-only");

    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("old-and-beyond-count, old-or-beyond-count"), r.err());
  }

  @Test
  void cleanupHelp_saysTheRuleInOneSentence() {
    Result r = CliServerExtension.runRaw("cleanup", "--help");

    assertEquals(0, r.exitCode(), r.err());
    String help = r.out().replaceAll("\\s+", " ");
    assertTrue(help.contains("A run is removed only when it is both older than --max-age-days and beyond its task's"
        + " newest --max-runs-per-task runs"), r.out());
    assertTrue(help.contains("--rule"), r.out());
  }

  private static String[] concat(String[] options, String more) {
    List<String> all = new ArrayList<>(List.of(options));
    all.add(more);
    return all.toArray(String[]::new);
  }
}
