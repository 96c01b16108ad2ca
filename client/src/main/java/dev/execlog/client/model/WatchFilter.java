package dev.execlog.client.model;

/**
 * Which changes a watch delivers; null fields match everything, and the fields combine with AND.
 *
 * @param success only runs with this outcome (for removals: as the run was)
 */
public record WatchFilter(String taskId, String taskType, Boolean success) {

  public static WatchFilter all() {
    return new WatchFilter(null, null, null);
  }
}
