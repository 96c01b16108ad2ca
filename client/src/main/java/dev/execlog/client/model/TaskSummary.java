package dev.execlog.client.model;

import java.time.Instant;

/** The summary of a task: its newest run and how many runs it has. */
public record TaskSummary(String taskId, String taskType, Instant lastRecordTime, boolean lastSuccess,
    String lastReportPath, String lastRunId, long runCount) {}
