package dev.execlog.server;

import static dev.execlog.server.FlowRuns.DAY0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.execlog.v1.ExecutionStatistics;
import dev.execlog.v1.GetTaskStatisticsRequest;
import dev.execlog.v1.GetTaskStatisticsResponse;
import dev.execlog.v1.StatisticsBucket;
import dev.execlog.v1.TimeBucket;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GetTaskStatistics against figures worked out by hand. */
class TaskStatisticsTest {

  private static final long HOUR = 3600;
  private static final long DAY = 86400;

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  private FlowRuns runs;

  @BeforeEach
  void setUp() {
    runs = new FlowRuns(server.stub());
  }

  /** Durations 10, 20, 30 (failed) on day 0; 40, 100 (failed) on day 1. */
  private void fiveRuns() {
    runs.run("S", "profiling", HOUR, true, 10, List.of(), List.of());
    runs.run("S", "profiling", HOUR + 1800, true, 20, List.of(), List.of());
    runs.run("S", "profiling", 2 * HOUR, false, 30, List.of(), List.of());
    runs.run("S", "profiling", DAY + 5 * HOUR, true, 40, List.of(), List.of());
    runs.run("S", "profiling", DAY + 6 * HOUR, false, 100, List.of(), List.of());
  }

  private GetTaskStatisticsResponse stats(GetTaskStatisticsRequest.Builder b) {
    return server.stub().getTaskStatistics(b.build());
  }

  private static Timestamp at(long offsetSeconds) {
    return Timestamp.newBuilder().setSeconds(DAY0 + offsetSeconds).build();
  }

  private static Duration seconds(long s) {
    return Duration.newBuilder().setSeconds(s).build();
  }

  private static void assertFigures(ExecutionStatistics s, long count, long successes, long mean, long p50, long p95,
      long max) {
    assertEquals(count, s.getRunCount(), "run_count");
    assertEquals(successes, s.getSuccessCount(), "success_count");
    assertEquals((double) successes / count, s.getSuccessRate(), 1e-12, "success_rate");
    assertEquals(seconds(mean), s.getMeanDuration(), "mean");
    assertEquals(seconds(p50), s.getP50Duration(), "p50");
    assertEquals(seconds(p95), s.getP95Duration(), "p95");
    assertEquals(seconds(max), s.getMaxDuration(), "max");
  }

  @Test
  void getTaskStatistics_oneTaskByDay_matchesHandFigures() {
    fiveRuns();
    GetTaskStatisticsResponse r = stats(GetTaskStatisticsRequest.newBuilder().setTaskId("S")
        .setBucket(TimeBucket.TIME_BUCKET_DAY));
    // [10,20,30,40,100]: mean 40; nearest rank p50 = 3rd = 30, p95 = 5th = 100.
    assertEquals("S", r.getTotal().getTaskId());
    assertFigures(r.getTotal().getOverall(), 5, 3, 40, 30, 100, 100);
    assertEquals(0, r.getTasksCount());
    List<StatisticsBucket> days = r.getTotal().getBucketsList();
    assertEquals(2, days.size());
    assertEquals(at(0), days.get(0).getStartTime());
    assertEquals(at(DAY), days.get(0).getEndTime());
    assertFigures(days.get(0).getStatistics(), 3, 2, 20, 20, 30, 30);
    assertEquals(at(DAY), days.get(1).getStartTime());
    assertFigures(days.get(1).getStatistics(), 2, 1, 70, 40, 100, 100);
  }

  @Test
  void getTaskStatistics_hoursAndWeeks_alignInUtc() {
    fiveRuns();
    List<StatisticsBucket> hours = stats(GetTaskStatisticsRequest.newBuilder().setTaskId("S")
        .setBucket(TimeBucket.TIME_BUCKET_HOUR)).getTotal().getBucketsList();
    assertEquals(List.of(at(HOUR), at(2 * HOUR), at(DAY + 5 * HOUR), at(DAY + 6 * HOUR)),
        hours.stream().map(StatisticsBucket::getStartTime).toList());
    assertFigures(hours.get(0).getStatistics(), 2, 2, 15, 10, 20, 20);
    assertEquals(at(2 * HOUR), hours.get(0).getEndTime());

    List<StatisticsBucket> weeks = stats(GetTaskStatisticsRequest.newBuilder().setTaskId("S")
        .setBucket(TimeBucket.TIME_BUCKET_WEEK)).getTotal().getBucketsList();
    assertEquals(1, weeks.size());
    assertEquals(at(-DAY), weeks.get(0).getStartTime()); // DAY0 is a Tuesday; the week began on Monday
    assertEquals(at(6 * DAY), weeks.get(0).getEndTime());
    assertEquals(5, weeks.get(0).getStatistics().getRunCount());
  }

  @Test
  void getTaskStatistics_window_countsOnlyRunsInside() {
    fiveRuns();
    GetTaskStatisticsResponse r = stats(GetTaskStatisticsRequest.newBuilder().setTaskId("S")
        .setStartTime(at(HOUR + 1800)).setEndTime(at(DAY + 6 * HOUR)));
    // [20, 30, 40]; the end is exclusive.
    assertFigures(r.getTotal().getOverall(), 3, 2, 30, 30, 40, 40);
    assertEquals(0, r.getTotal().getBucketsCount());
  }

  @Test
  void getTaskStatistics_twentyRuns_nearestRankPercentiles() {
    for (int i = 1; i <= 20; i++) {
      runs.run("P", "profiling", i * 60L, true, i, List.of(), List.of());
    }
    // Mean 10.5; p50 = 10th value, p95 = 19th value (ceil(0.95 * 20) = 19).
    ExecutionStatistics s = stats(GetTaskStatisticsRequest.newBuilder().setTaskId("P")).getTotal().getOverall();
    assertEquals(Duration.newBuilder().setSeconds(10).setNanos(500_000_000).build(), s.getMeanDuration());
    assertEquals(seconds(10), s.getP50Duration());
    assertEquals(seconds(19), s.getP95Duration());
    assertEquals(seconds(20), s.getMaxDuration());
  }

  @Test
  void getTaskStatistics_allTasks_totalAndOneEntryPerTask() {
    fiveRuns();
    runs.run("A", "ingestion", 3 * HOUR, true, 50, List.of(), List.of());
    GetTaskStatisticsResponse r = stats(GetTaskStatisticsRequest.newBuilder().setBucket(TimeBucket.TIME_BUCKET_DAY));
    assertEquals("", r.getTotal().getTaskId());
    // [10,20,30,40,50,100]: mean 250/6; p50 = 3rd = 30; p95 = 6th = 100.
    ExecutionStatistics total = r.getTotal().getOverall();
    assertEquals(6, total.getRunCount());
    assertEquals(4, total.getSuccessCount());
    assertEquals(seconds(30), total.getP50Duration());
    assertEquals(41, total.getMeanDuration().getSeconds());
    assertEquals(List.of("A", "S"), r.getTasksList().stream().map(t -> t.getTaskId()).toList());
    assertFigures(r.getTasks(0).getOverall(), 1, 1, 50, 50, 50, 50);
    assertEquals(0, r.getTasks(1).getBucketsCount());
    assertEquals(4, r.getTotal().getBuckets(0).getStatistics().getRunCount());
  }

  @Test
  void getTaskStatistics_noRunsInWindow_zeroCountAndNoDurations() {
    fiveRuns();
    ExecutionStatistics s = stats(GetTaskStatisticsRequest.newBuilder().setTaskId("S")
        .setStartTime(at(10 * DAY))).getTotal().getOverall();
    assertEquals(0, s.getRunCount());
    assertEquals(0, s.getSuccessRate());
    assertFalse(s.hasMeanDuration());
  }

  @Test
  void getTaskStatistics_badRequests_areRejected() {
    fiveRuns();
    StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
        () -> stats(GetTaskStatisticsRequest.newBuilder().setTaskId("nope")));
    assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
    StatusRuntimeException window = assertThrows(StatusRuntimeException.class,
        () -> stats(GetTaskStatisticsRequest.newBuilder().setStartTime(at(DAY)).setEndTime(at(0))));
    assertEquals(Status.Code.INVALID_ARGUMENT, window.getStatus().getCode());
  }
}
