package dev.execlog.server.store;

import dev.execlog.server.model.Execution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.TreeSet;

/**
 * Runs by file path (the files they wrote, or read), newest first. Most paths belong to a single run,
 * so an entry holds the run itself and grows into a sorted set only when a second run names the path.
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
        TreeSet<ExecutionIndex.Stored> set = new TreeSet<>(ExecutionIndex.NEWEST_FIRST);
        set.add(single);
        set.add(s);
        byPath.put(key, set);
      }
    } else {
      ((TreeSet<ExecutionIndex.Stored>) current).add(s);
    }
  }

  @SuppressWarnings("unchecked")
  void remove(String key, ExecutionIndex.Stored s) {
    Object current = byPath.get(key);
    if (current instanceof ExecutionIndex.Stored single) {
      if (single.seq() == s.seq()) {
        byPath.remove(key);
      }
    } else if (current instanceof TreeSet<?> set) {
      ((TreeSet<ExecutionIndex.Stored>) set).remove(s);
      if (set.size() == 1) {
        byPath.put(key, set.iterator().next());
      } else if (set.isEmpty()) {
        byPath.remove(key);
      }
    }
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
    List<Execution> runs = new ArrayList<>();
    for (ExecutionIndex.Stored s : (TreeSet<ExecutionIndex.Stored>) current) {
      runs.add(s.run());
    }
    return runs;
  }
}
