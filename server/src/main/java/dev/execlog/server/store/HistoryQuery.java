package dev.execlog.server.store;

/**
 * Which runs a history listing returns.
 *
 * @param taskId only this task's runs; null for all tasks
 * @param successOnly only successful runs
 * @param startMicros only runs at or after this time; null for no bound
 * @param endMicros only runs before this time; null for no bound
 */
public record HistoryQuery(String taskId, boolean successOnly, Long startMicros, Long endMicros) {}
