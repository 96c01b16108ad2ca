package dev.execlog.server.json;

import dev.execlog.server.model.Execution;
import dev.execlog.server.model.LogMetadata;
import dev.execlog.server.model.TaskSummary;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

/**
 * The whole log at one moment, for passes over every run (export, validate, cleanup, the fold).
 * The runs may be a stream from a database cursor rather than a list in memory: iterate them once,
 * in file order, while the pass that was given the snapshot runs.
 *
 * @param executions the runs in file order (order of recording)
 * @param executionCount how many runs {@code executions} yields
 * @param summaries one per task with runs, ordered by task id
 */
public record LogSnapshot(
    Iterable<Execution> executions,
    long executionCount,
    Collection<TaskSummary> summaries,
    LogMetadata metadata,
    long lastModifiedMicros) {

  /** A snapshot of runs held in memory. */
  public static LogSnapshot of(List<Execution> runs, Collection<TaskSummary> summaries, LogMetadata metadata,
      long lastModifiedMicros) {
    return new LogSnapshot(runs, runs.size(), summaries, metadata, lastModifiedMicros);
  }

  /** Only the runs and summary of one task; its summary's count says how many runs follow. */
  public LogSnapshot ofTask(String taskId) {
    List<TaskSummary> kept = summaries.stream().filter(s -> s.taskId().equals(taskId)).toList();
    long count = kept.isEmpty() ? 0 : kept.get(0).runCount();
    Predicate<Execution> ofTask = r -> r.taskId().equals(taskId);
    Iterable<Execution> runs = () -> StreamSupport.stream(executions.spliterator(), false).filter(ofTask).iterator();
    return new LogSnapshot(runs, count, kept, metadata, lastModifiedMicros);
  }
}
