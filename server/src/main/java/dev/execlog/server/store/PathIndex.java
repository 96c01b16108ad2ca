package dev.execlog.server.store;

import dev.execlog.server.model.Execution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Runs by file path (the files they wrote, or read). Most paths belong to a single run, so an entry
 * holds the run itself; a path named by several runs holds them in an array ordered oldest first.
 * Runs arrive almost always newest, so adding is an append, and an array costs a few bytes a run
 * where a tree would cost forty: a path rewritten by every run of a task is common.
 */
final class PathIndex {

  private final HashMap<String, Object> byPath = new HashMap<>();

  @SuppressWarnings("unchecked")
  void add(String key, ExecutionIndex.Stored s) {
    Object current = byPath.get(key);
    if (current == null) {
      byPath.put(key, s);
    } else if (current instanceof ExecutionIndex.Stored single) {
      if (single.seq() != s.seq()) {
        ArrayList<ExecutionIndex.Stored> runs = new ArrayList<>(4);
        runs.add(single);
        insert(runs, s);
        byPath.put(key, runs);
      }
    } else {
      insert((ArrayList<ExecutionIndex.Stored>) current, s);
    }
  }

  /** Keeps the array oldest first; equal entries (the same run) are not added twice. */
  private static void insert(ArrayList<ExecutionIndex.Stored> runs, ExecutionIndex.Stored s) {
    ExecutionIndex.Stored last = runs.get(runs.size() - 1);
    if (ExecutionIndex.NEWEST_FIRST.compare(s, last) < 0) {
      runs.add(s);
      return;
    }
    int at = position(runs, s);
    if (at < runs.size() && runs.get(at).seq() == s.seq()) {
      return;
    }
    runs.add(at, s);
  }

  /** Where {@code s} stands, or would stand, in an oldest-first array. */
  private static int position(List<ExecutionIndex.Stored> runs, ExecutionIndex.Stored s) {
    int lo = 0;
    int hi = runs.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ExecutionIndex.NEWEST_FIRST.compare(runs.get(mid), s) > 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @SuppressWarnings("unchecked")
  void remove(String key, ExecutionIndex.Stored s) {
    Object current = byPath.get(key);
    if (current instanceof ExecutionIndex.Stored single) {
      if (single.seq() == s.seq()) {
        byPath.remove(key);
      }
    } else if (current instanceof ArrayList<?> list) {
      ArrayList<ExecutionIndex.Stored> runs = (ArrayList<ExecutionIndex.Stored>) list;
      int at = position(runs, s);
      if (at < runs.size() && runs.get(at).seq() == s.seq()) {
        runs.remove(at);
      }
      if (runs.size() == 1) {
        byPath.put(key, runs.get(0));
      } else if (runs.isEmpty()) {
        byPath.remove(key);
      }
    }
  }

  /** The newest run naming the path, or null; without copying the other runs. */
  @SuppressWarnings("unchecked")
  Execution newest(String key) {
    Object current = byPath.get(key);
    if (current == null) {
      return null;
    }
    if (current instanceof ExecutionIndex.Stored single) {
      return single.run();
    }
    List<ExecutionIndex.Stored> runs = (List<ExecutionIndex.Stored>) current;
    return runs.get(runs.size() - 1).run();
  }

  /** The runs naming the path, newest first. */
  @SuppressWarnings("unchecked")
  List<Execution> get(String key) {
    Object current = byPath.get(key);
    if (current == null) {
      return List.of();
    }
    if (current instanceof ExecutionIndex.Stored single) {
      return List.of(single.run());
    }
    List<ExecutionIndex.Stored> runs = (List<ExecutionIndex.Stored>) current;
    List<Execution> newestFirst = new ArrayList<>(runs.size());
    for (int i = runs.size() - 1; i >= 0; i--) {
      newestFirst.add(runs.get(i).run());
    }
    return newestFirst;
  }
}
