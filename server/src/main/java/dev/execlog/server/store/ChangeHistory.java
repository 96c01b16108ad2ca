package dev.execlog.server.store;

import java.util.List;

/**
 * The past changes a store keeps itself, numbered the same way for every server of the store, so a
 * watcher resumes on any server from the sequence it last got. The JSON store has none: its server
 * numbers its own changes and keeps the most recent in memory.
 */
public interface ChangeHistory {

  /** Names this store's feed: a resume point is valid only on the feed that numbered it. */
  String feedId();

  /**
   * Hands on now every change already committed that can be numbered, so a watch that starts next
   * does not count a change its client committed just before among the new ones.
   */
  void catchUp();

  /** The sequence of the newest change handed to the store's listeners so far (0: none). */
  long lastSequence();

  /**
   * The changes after {@code sequence} up to {@code upTo} (both sequences), oldest first, if there
   * are at most {@code max} of them and the store still keeps them all; else null.
   */
  List<LogChange> between(long sequence, long upTo, int max);
}
