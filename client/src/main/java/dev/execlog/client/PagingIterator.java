package dev.execlog.client;

import dev.execlog.client.model.Page;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/** Iterates over every item of a paginated listing, fetching the next page only when needed. */
final class PagingIterator<T> implements Iterator<T> {

  private final Function<String, Page<T>> fetch;
  private Iterator<T> current;
  private String nextToken = "";
  private boolean lastPage;

  PagingIterator(Function<String, Page<T>> fetch) {
    this.fetch = fetch;
  }

  @Override
  public boolean hasNext() {
    while (current == null || !current.hasNext()) {
      if (lastPage) {
        return false;
      }
      Page<T> page = fetch.apply(nextToken);
      current = page.items().iterator();
      nextToken = page.nextPageToken();
      lastPage = nextToken.isEmpty();
    }
    return true;
  }

  @Override
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return current.next();
  }
}
