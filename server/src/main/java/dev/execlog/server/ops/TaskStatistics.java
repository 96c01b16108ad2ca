package dev.execlog.server.ops;

import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.store.HistoryPage;
import dev.execlog.server.store.HistoryQuery;
import dev.execlog.server.store.ExecutionStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Run counts, success rates and duration figures over a time window (spec: "Execution Time
 * Trends"). Reads the window through the time index a page at a time, so a narrow window costs
 * little and a wide one never holds the read lock for long.
 */
public final class TaskStatistics {

  private static final int PAGE = 50_000;
  private static final long HOUR = 3_600_000_000L;
  private static final long DAY = 24 * HOUR;
  private static final long WEEK = 7 * DAY;
  /** 1970-01-01 was a Thursday; weeks start on Monday, four days later. */
  private static final long MONDAY_OFFSET = 4 * DAY;

  /** Width of the time series buckets; NONE for no series. Buckets are aligned in UTC. */
  public enum Bucket { NONE, HOUR, DAY, WEEK }

  /** Figures over a set of runs; the duration figures are NaN when there are no runs. */
  public record Figures(long runCount, long successCount, double successRate, double meanSeconds,
      double p50Seconds, double p95Seconds, double maxSeconds) {}

  /** One bucket of a series: [start, end). */
  public record BucketFigures(long startMicros, long endMicros, Figures figures) {}

  /** Figures for one task ({@code taskId} empty for all selected runs) and its series. */
  public record TaskFigures(String taskId, Figures overall, List<BucketFigures> buckets) {}

  /** The total with its series and, when all tasks were asked for, one entry per task. */
  public record Report(TaskFigures total, List<TaskFigures> tasks) {}

  private final ExecutionStore store;
  private final RunValidator validator;

  public TaskStatistics(ExecutionStore store, RunValidator validator) {
    this.store = store;
    this.validator = validator;
  }

  /**
   * @param taskId one task, or null for all
   * @param startMicros inclusive lower bound, or null
   * @param endMicros exclusive upper bound, or null
   */
  public Report compute(String taskId, Long startMicros, Long endMicros, Bucket bucket) {
    String id = taskId == null ? null : validator.taskId(taskId, "task_id");
    if (startMicros != null && endMicros != null && startMicros >= endMicros) {
      throw ExecLogException.invalid("end_time", "must be after start_time");
    }
    if (id != null && store.read(view -> view.summary(id)) == null) {
      throw ExecLogException.taskHasNoRun("task_id", id, "task " + id + " has no recorded run");
    }
    Samples all = new Samples();
    Map<String, Samples> perTask = new TreeMap<>();
    Map<Long, Samples> series = new TreeMap<>();
    HistoryQuery query = new HistoryQuery(id, false, startMicros, endMicros);
    HistoryPage.Position after = null;
    do {
      HistoryPage.Position from = after;
      HistoryPage page = store.read(view -> view.history(query, from, PAGE));
      for (Execution run : page.executions()) {
        if (!run.hasValidTime()) {
          continue; // a run whose time could not be read belongs to no window
        }
        all.add(run);
        if (id == null) {
          perTask.computeIfAbsent(run.taskId(), k -> new Samples()).add(run);
        }
        if (bucket != Bucket.NONE) {
          series.computeIfAbsent(bucketStart(run.recordTimeMicros(), bucket), k -> new Samples()).add(run);
        }
      }
      after = page.next();
    } while (after != null);

    List<BucketFigures> buckets = new ArrayList<>(series.size());
    series.forEach((start, s) -> buckets.add(new BucketFigures(start, start + width(bucket), s.figures())));
    List<TaskFigures> tasks = new ArrayList<>(perTask.size());
    perTask.forEach((task, s) -> tasks.add(new TaskFigures(task, s.figures(), List.of())));
    return new Report(new TaskFigures(id == null ? "" : id, all.figures(), buckets), tasks);
  }

  static long bucketStart(long micros, Bucket bucket) {
    return switch (bucket) {
      case HOUR -> Math.floorDiv(micros, HOUR) * HOUR;
      case DAY -> Math.floorDiv(micros, DAY) * DAY;
      case WEEK -> Math.floorDiv(micros - MONDAY_OFFSET, WEEK) * WEEK + MONDAY_OFFSET;
      case NONE -> throw new IllegalArgumentException("no bucket");
    };
  }

  private static long width(Bucket bucket) {
    return switch (bucket) {
      case HOUR -> HOUR;
      case DAY -> DAY;
      case WEEK -> WEEK;
      case NONE -> 0;
    };
  }

  /** Durations and successes of a set of runs. */
  private static final class Samples {
    private double[] seconds = new double[8];
    private int count;
    private long successes;

    void add(Execution run) {
      if (count == seconds.length) {
        seconds = Arrays.copyOf(seconds, count * 2);
      }
      seconds[count++] = run.executionTimeSeconds();
      if (run.success()) {
        successes++;
      }
    }

    Figures figures() {
      if (count == 0) {
        return new Figures(0, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      }
      double[] sorted = Arrays.copyOf(seconds, count);
      Arrays.sort(sorted);
      double sum = 0;
      for (double s : sorted) {
        sum += s;
      }
      return new Figures(count, successes, (double) successes / count, sum / count,
          nearestRank(sorted, 50), nearestRank(sorted, 95), sorted[count - 1]);
    }

    /** The smallest value with at least p% of the values at or below it. */
    private static double nearestRank(double[] sorted, int p) {
      int rank = (int) ((p * (long) sorted.length + 99) / 100); // ceil(p% of n), in integers
      return sorted[Math.max(rank, 1) - 1];
    }
  }
}
