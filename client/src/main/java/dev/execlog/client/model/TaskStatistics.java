package dev.execlog.client.model;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Figures for one task, or for all selected runs ({@code taskId} empty), with a time series.
 *
 * @param buckets oldest first, only buckets holding runs; empty when no bucket width was asked for
 */
public record TaskStatistics(String taskId, Figures overall, List<Bucket> buckets) {

  /**
   * Figures over a set of runs. Durations count every run, failed or not; percentiles are nearest
   * rank. The durations are empty when there are no runs.
   *
   * @param successRate from 0 to 1
   */
  public record Figures(long runCount, long successCount, double successRate, Optional<Duration> mean,
      Optional<Duration> p50, Optional<Duration> p95, Optional<Duration> max) {}

  /** One bucket of the series: [start, end). */
  public record Bucket(Instant start, Instant end, Figures figures) {}
}
