package dev.execlog.server.json;

/**
 * Shares one instance of strings that repeat (task ids, types, hosts, paths written by every run
 * of a task), which dominate the heap of a large log. A fixed table indexed by hash: a string that
 * recurs finds its twin and is replaced by it; a string seen once only takes a slot until another
 * needs it. Unlike a map it never grows and costs nothing for the million paths that occur once.
 * Races between threads can only cost a missed share, never a wrong answer.
 */
public final class Interner {

  private static final int SLOTS = 1 << 17;
  private final String[] table = new String[SLOTS];

  public String intern(String s) {
    if (s == null || s.isEmpty()) {
      return "";
    }
    int slot = mix(s.hashCode()) & (SLOTS - 1);
    String known = table[slot];
    if (known != null && known.equals(s)) {
      return known;
    }
    table[slot] = s;
    return s;
  }

  private static int mix(int h) {
    return h ^ (h >>> 16) ^ (h >>> 7);
  }
}
