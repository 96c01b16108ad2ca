package dev.execlog.server.json;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares one instance of each repeated string (task ids, types, hosts, paths), which dominate the
 * heap of a large log. Unlike {@link String#intern()}, entries go away with the interner.
 */
public final class Interner {
  private final ConcurrentHashMap<String, String> pool = new ConcurrentHashMap<>();

  public String intern(String s) {
    if (s == null || s.isEmpty()) {
      return "";
    }
    String existing = pool.putIfAbsent(s, s);
    return existing != null ? existing : s;
  }
}
