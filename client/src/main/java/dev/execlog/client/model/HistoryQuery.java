package dev.execlog.client.model;

import java.time.Instant;

/**
 * Which runs to list: {@code taskId} null for all tasks; times null for no bound ({@code end}
 * exclusive).
 */
public record HistoryQuery(String taskId, boolean successOnly, Instant start, Instant end) {

  public static HistoryQuery all() {
    return new HistoryQuery(null, false, null, null);
  }

  public static HistoryQuery task(String taskId) {
    return new HistoryQuery(taskId, false, null, null);
  }

  public HistoryQuery successOnly(boolean value) {
    return new HistoryQuery(taskId, value, start, end);
  }

  public HistoryQuery between(Instant from, Instant to) {
    return new HistoryQuery(taskId, successOnly, from, to);
  }
}
