package dev.execlog.server.store;

import dev.execlog.server.model.Execution;
import dev.execlog.server.model.TaskSummary;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Read-only queries over one consistent state of the log, valid only inside
 * {@link ExecutionStore#read}: every answer of one view comes from the same moment. Paths are
 * normalized by the view; lists of runs are newest first unless said otherwise.
 */
public interface LogView {

  /** The run with this id, or null. */
  Execution get(String runId);

  /** How many runs the log holds. */
  long size();

  /** The task's newest run (its newest successful one with {@code successOnly}), or null. */
  Execution latest(String taskId, boolean successOnly);

  /** The task's summary, or null when it has no run. */
  TaskSummary summary(String taskId);

  /** Runs that listed the path among their outputs, newest first. */
  List<Execution> producers(String path);

  /** The newest run that listed the path among its outputs, or null. */
  Execution newestProducer(String path);

  /** Runs that listed the path among their inputs, newest first. */
  List<Execution> consumers(String path);

  /**
   * {@link #producers(String)} of many paths at once: a store that pays a round trip per lookup
   * answers in one. Paths without producers map to an empty list.
   */
  default Map<String, List<Execution>> producers(Collection<String> paths) {
    Map<String, List<Execution>> found = new LinkedHashMap<>();
    paths.forEach(p -> found.put(p, producers(p)));
    return found;
  }

  /** {@link #consumers(String)} of many paths at once. */
  default Map<String, List<Execution>> consumers(Collection<String> paths) {
    Map<String, List<Execution>> found = new LinkedHashMap<>();
    paths.forEach(p -> found.put(p, consumers(p)));
    return found;
  }

  /** The task's runs, newest first, for walks that need more than one page. */
  Iterable<Execution> runsOf(String taskId);

  /** Summaries ordered by task id, after {@code afterTaskId} (null: from the start), at most {@code limit}. */
  List<TaskSummary> summaries(String afterTaskId, int limit);

  /** A page of history: at most {@code limit} runs after {@code after} (null: from the newest). */
  HistoryPage history(HistoryQuery query, HistoryPage.Position after, int limit);
}
