package dev.execlog.server.store;

import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.SortedSet;

/**
 * A list already sorted newest first, seen as a sorted set only so that {@code TreeSet.addAll}
 * takes its linear-time path (it builds a balanced tree straight from the sorted elements). It
 * offers just what that path reads: its comparator, size and iterator.
 */
final class SortedRuns extends AbstractSet<ExecutionIndex.Stored> implements SortedSet<ExecutionIndex.Stored> {

  private final List<ExecutionIndex.Stored> sorted;

  SortedRuns(List<ExecutionIndex.Stored> sorted) {
    this.sorted = sorted;
  }

  @Override
  public Comparator<? super ExecutionIndex.Stored> comparator() {
    return ExecutionIndex.NEWEST_FIRST;
  }

  @Override
  public Iterator<ExecutionIndex.Stored> iterator() {
    return sorted.iterator();
  }

  @Override
  public int size() {
    return sorted.size();
  }

  @Override
  public ExecutionIndex.Stored first() {
    return sorted.get(0);
  }

  @Override
  public ExecutionIndex.Stored last() {
    return sorted.get(sorted.size() - 1);
  }

  @Override
  public SortedSet<ExecutionIndex.Stored> subSet(ExecutionIndex.Stored from, ExecutionIndex.Stored to) {
    throw new UnsupportedOperationException();
  }

  @Override
  public SortedSet<ExecutionIndex.Stored> headSet(ExecutionIndex.Stored to) {
    throw new UnsupportedOperationException();
  }

  @Override
  public SortedSet<ExecutionIndex.Stored> tailSet(ExecutionIndex.Stored from) {
    throw new UnsupportedOperationException();
  }
}
