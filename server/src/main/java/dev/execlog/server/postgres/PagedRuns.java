package dev.execlog.server.postgres;

import dev.execlog.server.model.Execution;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Runs read a page per query as the caller iterates (keyset pagination inside the caller's
 * transaction), so a pass over many runs never holds them all.
 */
abstract class PagedRuns implements Iterator<Execution> {

  private List<Execution> page = List.of();
  private int next;
  private boolean last;

  /** Reads the page after the previous one (the first page on the first call). */
  protected abstract List<Execution> readPage();

  /** Whether the page just read is the last. */
  protected abstract boolean wasLastPage();

  @Override
  public boolean hasNext() {
    if (next < page.size()) {
      return true;
    }
    if (last) {
      return false;
    }
    page = readPage();
    next = 0;
    last = wasLastPage();
    return !page.isEmpty();
  }

  @Override
  public Execution next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return page.get(next++);
  }
}
