package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.execlog.v1.CleanupExecutionsRequest;
import dev.execlog.v1.CleanupExecutionsResponse;
import dev.execlog.v1.CleanupRule;
import dev.execlog.v1.ListExecutionsRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cleanup keeps what the reference library keeps: a run goes only when it is both beyond its
 * task's newest runs and older than the age. The union of the two rules, which deleted whole
 * histories of tasks not run for a month, exists only when asked for by name.
 */
class CleanupRuleTest {

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  private static Timestamp daysAgo(int days) {
    return Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000 - days * 86_400L - 60).build();
  }

  /** Records runs of a task, one per given age in days; returns their ids, newest first. */
  private List<String> recordAged(String task, int... ages) {
    List<String> ids = new ArrayList<>();
    for (int age : ages) {
      ids.add(server.stub().recordExecution(record(run(task).setRecordTime(daysAgo(age)))).getExecution().getRunId());
    }
    return ids;
  }

  private static int[] range(int from, int to) {
    return IntStream.range(from, to).toArray();
  }

  private List<String> cleanup(CleanupExecutionsRequest.Builder request) {
    List<String> removed = new ArrayList<>();
    CleanupExecutionsResponse last = null;
    for (var it = server.stub().cleanupExecutions(request.build()); it.hasNext(); ) {
      last = it.next();
      if (last.hasRemovedRuns()) {
        removed.addAll(last.getRemovedRuns().getRunIdsList());
      }
    }
    assertEquals(removed.size(), last.getResult().getRemovedCount());
    return removed;
  }

  private Set<String> remaining(String task) {
    Set<String> ids = new TreeSet<>();
    server.stub().listExecutions(ListExecutionsRequest.newBuilder().setTaskId(task).setPageSize(1000).build())
        .getExecutionsList().forEach(e -> ids.add(e.getRunId()));
    return ids;
  }

  @Test
  void defaults_taskIdleFor45Days_keepsItsTenNewest() {
    List<String> idle = recordAged("t_idle", range(45, 60));

    List<String> removed = cleanup(CleanupExecutionsRequest.newBuilder());

    assertEquals(new TreeSet<>(idle.subList(10, 15)), new TreeSet<>(removed), "only the 5 oldest go");
    assertEquals(new TreeSet<>(idle.subList(0, 10)), remaining("t_idle"));
  }

  @Test
  void defaults_dailyTask_keepsItsLast30DaysAndNothingOlderBeyondTen() {
    List<String> daily = recordAged("t_daily", range(0, 60));

    List<String> removed = cleanup(CleanupExecutionsRequest.newBuilder());

    assertEquals(new TreeSet<>(daily.subList(30, 60)), new TreeSet<>(removed));
    assertEquals(new TreeSet<>(daily.subList(0, 30)), remaining("t_daily"), "30 days of runs, even beyond 10");
  }

  @Test
  void specsMaintenanceExample_retiredTaskKeepsItsNewestFive() {
    List<String> retired = recordAged("t_retired", range(90, 98));
    List<String> active = recordAged("t_active", range(0, 8));

    List<String> removed = cleanup(CleanupExecutionsRequest.newBuilder().setMaxAgeDays(60).setMaxRunsPerTask(5));

    assertEquals(new TreeSet<>(retired.subList(5, 8)), new TreeSet<>(removed));
    assertEquals(new TreeSet<>(retired.subList(0, 5)), remaining("t_retired"));
    assertEquals(new TreeSet<>(active), remaining("t_active"), "young runs stay beyond the count");
  }

  @Test
  void zeroRunsPerTask_removesOnlyRunsOlderThanTheAge() {
    List<String> runs = recordAged("t_zero", 1, 5, 29, 31, 40);

    List<String> removed = cleanup(CleanupExecutionsRequest.newBuilder().setMaxRunsPerTask(0));

    assertEquals(new TreeSet<>(runs.subList(3, 5)), new TreeSet<>(removed));
    assertEquals(new TreeSet<>(runs.subList(0, 3)), remaining("t_zero"));
  }

  @Test
  void dryRunAndRealRun_chooseExactlyTheSameIdsInTheSameOrder() {
    recordAged("t_a", range(0, 40));
    recordAged("t_b", range(20, 70));
    recordAged("t_c", 100, 200);

    List<String> dry = cleanup(CleanupExecutionsRequest.newBuilder().setMaxAgeDays(25).setMaxRunsPerTask(3)
        .setDryRun(true));
    assertEquals(92, server.stub().listExecutions(ListExecutionsRequest.newBuilder().setPageSize(1000).build())
        .getExecutionsCount(), "a dry run removes nothing");
    List<String> real = cleanup(CleanupExecutionsRequest.newBuilder().setMaxAgeDays(25).setMaxRunsPerTask(3));

    assertEquals(dry, real);
    assertEquals(15 + 45, real.size(), "t_a: ages 25..39; t_b: ages 25..69 (ages 23 and 24 are beyond 3 but "
        + "young); t_c: none, both runs are among its newest 3");
  }

  @Test
  void stricterRule_onlyByName_removesOldOrBeyondCount() {
    List<String> idle = recordAged("t_idle", range(45, 48));
    List<String> busy = recordAged("t_busy", range(0, 12));

    List<String> removed = cleanup(CleanupExecutionsRequest.newBuilder()
        .setRule(CleanupRule.CLEANUP_RULE_OLD_OR_BEYOND_COUNT));

    Set<String> expected = new TreeSet<>(idle);
    expected.addAll(busy.subList(10, 12));
    assertEquals(expected, new TreeSet<>(removed));
    assertTrue(remaining("t_idle").isEmpty());
  }
}
