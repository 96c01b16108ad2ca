package dev.execlog.client.model;

import java.time.Instant;

/**
 * Which runs to summarize and how to bucket them.
 *
 * @param taskId one task, or null for all tasks
 * @param start runs at or after this time; null for no bound
 * @param end runs before this time; null for no bound
 * @param bucket width of the time series buckets; NONE for no series
 */
public record StatisticsQuery(String taskId, Instant start, Instant end, Bucket bucket) {

  /** Bucket widths, aligned in UTC; weeks start on Monday. */
  public enum Bucket { NONE, HOUR, DAY, WEEK }

  public static StatisticsQuery allTasks() {
    return new StatisticsQuery(null, null, null, Bucket.NONE);
  }

  public static StatisticsQuery task(String taskId) {
    return new StatisticsQuery(taskId, null, null, Bucket.NONE);
  }

  public StatisticsQuery between(Instant from, Instant to) {
    return new StatisticsQuery(taskId, from, to, bucket);
  }

  public StatisticsQuery by(Bucket width) {
    return new StatisticsQuery(taskId, start, end, width);
  }
}
