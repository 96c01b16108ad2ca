package dev.execlog.client.model;

import java.util.List;

/** One page of a listing; {@code nextPageToken} is empty on the last page. */
public record Page<T>(List<T> items, String nextPageToken) {
  public boolean hasNext() {
    return !nextPageToken.isEmpty();
  }
}
