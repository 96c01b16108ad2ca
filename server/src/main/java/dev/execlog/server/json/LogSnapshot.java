package dev.execlog.server.json;

import dev.execlog.server.model.Execution;
import dev.execlog.server.model.LogMetadata;
import dev.execlog.server.model.TaskSummary;
import java.util.Collection;
import java.util.List;

/**
 * An immutable view of the whole log at one moment, cheap to take: runs are immutable, so this holds
 * references, never copies of the records.
 */
public record LogSnapshot(
    List<Execution> executions,
    Collection<TaskSummary> summaries,
    LogMetadata metadata,
    long lastModifiedMicros) {}
