package dev.execlog.server.store;

import dev.execlog.server.model.Execution;
import dev.execlog.server.model.TaskSummary;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;
import java.util.function.UnaryOperator;

/** The JSON store's queries, answered from the in-memory indexes under the read lock. */
final class IndexView implements LogView {

  private final ExecutionIndex index;
  private final UnaryOperator<String> pathKey;

  IndexView(ExecutionIndex index, UnaryOperator<String> pathKey) {
    this.index = index;
    this.pathKey = pathKey;
  }

  @Override
  public Execution get(String runId) {
    ExecutionIndex.Stored s = index.get(runId);
    return s == null ? null : s.run();
  }

  @Override
  public long size() {
    return index.size();
  }

  @Override
  public Execution latest(String taskId, boolean successOnly) {
    return index.latest(taskId, successOnly);
  }

  @Override
  public TaskSummary summary(String taskId) {
    return index.summary(taskId);
  }

  /** Runs that listed the path among their outputs, newest first. The path is normalized here. */
  @Override
  public List<Execution> producers(String path) {
    return index.producersOf(pathKey.apply(path));
  }

  /** The newest run that listed the path among its outputs, or null. The path is normalized here. */
  @Override
  public Execution newestProducer(String path) {
    return index.newestProducerOf(pathKey.apply(path));
  }

  /** Runs that listed the path among their inputs, newest first. The path is normalized here. */
  @Override
  public List<Execution> consumers(String path) {
    return index.consumersOf(pathKey.apply(path));
  }

  /** The task's runs, newest first, for walks that need more than one page. */
  @Override
  public Iterable<Execution> runsOf(String taskId) {
    // A plain iterator: a stream's spliterator buffering showed up in task-level lineage profiles.
    return () -> new Iterator<>() {
      private final Iterator<ExecutionIndex.Stored> runs = index.runsOf(taskId).iterator();

      @Override
      public boolean hasNext() {
        return runs.hasNext();
      }

      @Override
      public Execution next() {
        return runs.next().run();
      }
    };
  }

  /** Summaries ordered by task id, after {@code afterTaskId} (null: from the start); one extra tells if more follow. */
  @Override
  public List<TaskSummary> summaries(String afterTaskId, int limit) {
    return index.summariesAfter(afterTaskId, limit);
  }

  @Override
  public HistoryPage history(HistoryQuery query, HistoryPage.Position after, int limit) {
    NavigableSet<ExecutionIndex.Stored> runs =
        query.taskId() == null ? index.allByTime() : index.runsOf(query.taskId());
    NavigableSet<ExecutionIndex.Stored> view = runs;
    if (after != null) {
      view = runs.tailSet(probe(after.timeMicros(), after.seq()), false);
    } else if (query.endMicros() != null) {
      // Everything at the end time or later sorts before this probe.
      view = runs.tailSet(probe(query.endMicros(), Long.MIN_VALUE), false);
    }
    List<Execution> page = new ArrayList<>(Math.min(limit, 1024));
    List<HistoryPage.Position> positions = new ArrayList<>(Math.min(limit, 1024));
    for (ExecutionIndex.Stored s : view) {
      if (query.startMicros() != null && s.time() < query.startMicros()) {
        break;
      }
      if (query.endMicros() != null && s.time() >= query.endMicros()) {
        continue;
      }
      if (query.successOnly() && !s.run().success()) {
        continue;
      }
      if (page.size() == limit) {
        return new HistoryPage(page, positions, positions.get(positions.size() - 1));
      }
      page.add(s.run());
      positions.add(new HistoryPage.Position(s.time(), s.seq()));
    }
    return new HistoryPage(page, positions, null);
  }

  private static ExecutionIndex.Stored probe(long time, long seq) {
    Execution marker = Execution.builder("", "").recordTimeMicros(time).build();
    return new ExecutionIndex.Stored(seq, marker);
  }
}
