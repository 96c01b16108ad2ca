package dev.execlog.server.json;

import dev.execlog.server.model.Execution;
import dev.execlog.server.model.LogMetadata;
import java.util.List;

/**
 * A log file as read: its runs in file order, its metadata, and the problems that did not stop the
 * read (a timestamp that is not a time, a missing field, a repeated run id), for validate to report.
 */
public record LoadedLog(LogMetadata metadata, List<Execution> executions, List<LoadProblem> problems) {}
