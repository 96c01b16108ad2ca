package dev.execlog.server.security;

import java.util.Locale;

/** What a caller may do; each role includes the ones before it. */
public enum Role {
  /** Queries, export, validate, watch. */
  READER,
  /** Also record, track and update runs. */
  WRITER,
  /** Also remove runs, clean up and import. */
  ADMIN;

  public boolean includes(Role other) {
    return ordinal() >= other.ordinal();
  }

  public static Role parse(String text) {
    return Role.valueOf(text.trim().toUpperCase(Locale.ROOT));
  }
}
