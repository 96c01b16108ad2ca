package dev.execlog.client.model;

import java.util.List;

/**
 * The answer to a statistics query.
 *
 * @param total figures over every selected run, with the time series
 * @param tasks for an all-tasks query, one entry per task with runs in the window, ordered by task
 *     id, overall figures only; empty for a one-task query
 */
public record StatisticsReport(TaskStatistics total, List<TaskStatistics> tasks) {}
