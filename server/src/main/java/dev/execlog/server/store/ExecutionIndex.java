package dev.execlog.server.store;

import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import dev.execlog.server.model.TaskSummary;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The runs of the log and the indexes that answer queries without scanning: by id (in file order),
 * by time (newest first), by task, and by output path. Not thread-safe: {@link LogStore} guards it
 * with a read-write lock and changes it from one writer thread only.
 */
final class ExecutionIndex {

  /** A run with the order in which it entered the log, which breaks ties between equal times. */
  record Stored(long seq, Execution run) {
    long time() {
      return run.recordTimeMicros();
    }
  }

  /** Newest first: by record time, then by order of recording. */
  static final Comparator<Stored> NEWEST_FIRST = (a, b) -> {
    int byTime = Long.compare(b.time(), a.time());
    return byTime != 0 ? byTime : Long.compare(b.seq, a.seq);
  };

  private final LinkedHashMap<String, Stored> byId = new LinkedHashMap<>();
  /**
   * Later copies of a run id that a loaded file holds more than once, oldest first. They stay in
   * every query and in the file; by-id operations act on the first copy, as the reference library's
   * update and remove do, and removing it brings the next copy forward.
   */
  private final Map<String, ArrayDeque<Stored>> laterCopies = new HashMap<>();
  private int laterCopyCount;
  private boolean everDuplicated;
  private final TreeSet<Stored> byTime = new TreeSet<>(NEWEST_FIRST);
  private final TreeMap<String, TreeSet<Stored>> byTask = new TreeMap<>();
  private final PathIndex producers = new PathIndex();
  private final PathIndex consumers = new PathIndex();
  private final UnaryOperator<String> pathKey;
  private long nextSeq;
  /** Runs loaded but not yet in {@code byTime} and {@code byTask}; null once {@link #finishLoad} ran. */
  private ArrayList<Stored> loading;

  ExecutionIndex(UnaryOperator<String> pathKey) {
    this.pathKey = pathKey;
  }

  int size() {
    return byId.size() + laterCopyCount;
  }

  /** How many runs with this id the log holds: 0, 1, or more for a loaded file with duplicates. */
  int copies(String runId) {
    ArrayDeque<Stored> later = laterCopies.get(runId);
    return (byId.containsKey(runId) ? 1 : 0) + (later == null ? 0 : later.size());
  }

  /**
   * Adds a run read from the log file: a run id seen before becomes a later copy, never a replacement
   * (returns true then). The time and task orders are built by {@link #finishLoad}, which must follow
   * the last run loaded: sorting a million runs once and building the trees from the sorted list
   * takes a fraction of inserting them one by one.
   */
  boolean load(Execution run) {
    if (loading == null) {
      loading = new ArrayList<>();
    }
    Stored stored = new Stored(nextSeq++, run);
    boolean copy = byId.putIfAbsent(run.runId(), stored) != null;
    if (copy) {
      laterCopies.computeIfAbsent(run.runId(), k -> new ArrayDeque<>()).addLast(stored);
      laterCopyCount++;
      everDuplicated = true;
    }
    indexPaths(stored);
    loading.add(stored);
    return copy;
  }

  /** Puts the runs loaded since the last call into the time and task orders. */
  void finishLoad() {
    List<Stored> loaded = loading;
    if (loaded == null) {
      return;
    }
    loading = null;
    loaded.sort(NEWEST_FIRST); // a file oldest first is one descending run: reversed, not sorted
    Map<String, List<Stored>> perTask = new HashMap<>();
    for (Stored s : loaded) {
      perTask.computeIfAbsent(s.run().taskId(), k -> new ArrayList<>()).add(s);
    }
    // Into an empty tree, a sorted set is added in linear time; into a filled one, one at a time.
    byTime.addAll(new SortedRuns(loaded));
    perTask.forEach((task, runs) ->
        byTask.computeIfAbsent(task, k -> new TreeSet<>(NEWEST_FIRST)).addAll(new SortedRuns(runs)));
  }

  int taskCount() {
    return byTask.size();
  }

  Stored get(String runId) {
    return byId.get(runId);
  }

  /** Adds a run, or replaces the run with the same id in place. Returns the replaced run or null. */
  Stored put(Execution run) {
    finishLoad();
    Stored previous = byId.get(run.runId());
    Stored stored = new Stored(previous != null ? previous.seq : nextSeq++, run);
    if (previous != null) {
      unindex(previous);
    }
    byId.put(run.runId(), stored);
    index(stored);
    return previous;
  }

  /** Puts back a run exactly as it was (same order key), to undo a failed write. */
  void restore(Stored stored) {
    finishLoad();
    String runId = stored.run().runId();
    Stored current = byId.get(runId);
    if (current != null && current.seq != stored.seq) {
      // The removal being undone brought a later copy forward: it goes back behind the first copy.
      laterCopies.computeIfAbsent(runId, k -> new ArrayDeque<>()).addFirst(current);
      laterCopyCount++;
    } else if (current != null) {
      unindex(current);
    }
    byId.put(runId, stored);
    index(stored);
  }

  /** Removes the run with this id (its first copy, when the file held several). */
  Stored remove(String runId) {
    finishLoad();
    Stored removed = byId.remove(runId);
    if (removed != null) {
      unindex(removed);
      ArrayDeque<Stored> later = laterCopies.get(runId);
      if (later != null) {
        byId.put(runId, later.removeFirst());
        laterCopyCount--;
        if (later.isEmpty()) {
          laterCopies.remove(runId);
        }
      }
    }
    return removed;
  }

  private void index(Stored s) {
    byTime.add(s);
    byTask.computeIfAbsent(s.run().taskId(), k -> new TreeSet<>(NEWEST_FIRST)).add(s);
    indexPaths(s);
  }

  private void indexPaths(Stored s) {
    for (OutputFile out : s.run().outputFiles()) {
      producers.add(pathKey.apply(out.path()), s);
    }
    for (InputFile in : s.run().inputFiles()) {
      consumers.add(pathKey.apply(in.path()), s);
    }
  }

  private void unindex(Stored s) {
    byTime.remove(s);
    TreeSet<Stored> runs = byTask.get(s.run().taskId());
    if (runs != null) {
      runs.remove(s);
      if (runs.isEmpty()) {
        byTask.remove(s.run().taskId());
      }
    }
    for (OutputFile out : s.run().outputFiles()) {
      producers.remove(pathKey.apply(out.path()), s);
    }
    for (InputFile in : s.run().inputFiles()) {
      consumers.remove(pathKey.apply(in.path()), s);
    }
  }

  /** Runs that listed the path among their outputs, newest first. */
  List<Execution> producersOf(String normalizedPath) {
    return producers.get(normalizedPath);
  }

  /** The newest run that listed the path among its outputs, or null. */
  Execution newestProducerOf(String normalizedPath) {
    return producers.newest(normalizedPath);
  }

  /** Runs that listed the path among their inputs, newest first. */
  List<Execution> consumersOf(String normalizedPath) {
    return consumers.get(normalizedPath);
  }

  /** The task's runs, newest first; empty when the task has none. */
  NavigableSet<Stored> runsOf(String taskId) {
    TreeSet<Stored> runs = byTask.get(taskId);
    return runs != null ? Collections.unmodifiableNavigableSet(runs) : Collections.emptyNavigableSet();
  }

  /** All runs, newest first. */
  NavigableSet<Stored> allByTime() {
    return Collections.unmodifiableNavigableSet(byTime);
  }

  Execution latest(String taskId, boolean successOnly) {
    for (Stored s : runsOf(taskId)) {
      if (!successOnly || s.run().success()) {
        return s.run();
      }
    }
    return null;
  }

  TaskSummary summary(String taskId) {
    TreeSet<Stored> runs = byTask.get(taskId);
    return runs == null ? null : new TaskSummary(runs.first().run(), runs.size());
  }

  /** Summaries after the given task id (exclusive; null for the first), ordered by task id. */
  List<TaskSummary> summariesAfter(String afterTaskId, int limit) {
    Map<String, TreeSet<Stored>> view = afterTaskId == null ? byTask : byTask.tailMap(afterTaskId, false);
    List<TaskSummary> page = new ArrayList<>();
    Iterator<Map.Entry<String, TreeSet<Stored>>> it = view.entrySet().iterator();
    while (it.hasNext() && page.size() < limit) {
      Map.Entry<String, TreeSet<Stored>> e = it.next();
      page.add(new TaskSummary(e.getValue().first().run(), e.getValue().size()));
    }
    return page;
  }

  List<TaskSummary> allSummaries() {
    return summariesAfter(null, Integer.MAX_VALUE);
  }

  /** The runs in file order, as references: a consistent snapshot as long as runs are immutable. */
  List<Execution> runsInFileOrder() {
    List<Stored> stored = storedInFileOrder();
    List<Execution> runs = new ArrayList<>(stored.size());
    for (Stored s : stored) {
      runs.add(s.run());
    }
    return runs;
  }

  /** Stored entries in file order, for whole-log passes that need the order key too. */
  List<Stored> storedInFileOrder() {
    List<Stored> stored = new ArrayList<>(size());
    stored.addAll(byId.values());
    if (everDuplicated) {
      // Copies of one id, and a copy brought forward, sit apart from insertion order: sort by order key.
      laterCopies.values().forEach(stored::addAll);
      stored.sort(Comparator.comparingLong(Stored::seq));
    }
    return stored;
  }
}
