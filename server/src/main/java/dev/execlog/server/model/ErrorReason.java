package dev.execlog.server.model;

/**
 * Why an operation failed, independent of the transport. The values that reach callers have the
 * names of the contract's {@code execlog.v1.ErrorReason} (a test holds the two lists together);
 * the others stop the server's start and never travel.
 */
public enum ErrorReason {
  INVALID_FIELD,
  PATH_OUTSIDE_ROOT,
  INVALID_PAGE_TOKEN,
  UNPARSABLE_REQUEST,
  RUN_TOO_LARGE,
  RUN_NOT_FOUND,
  TASK_HAS_NO_RUN,
  PRODUCER_NOT_FOUND,
  RUN_ID_TAKEN,
  MESSAGE_TOO_LARGE,
  IMPORT_TOO_LARGE,
  RESPONSE_TOO_LARGE,
  DISK_FULL,
  WATCH_LAGGED,
  STORAGE_FAILURE,
  SHUTTING_DOWN,
  OPERATION_CANCELLED,
  UNAUTHENTICATED,
  ROLE_TOO_LOW,
  INTERNAL,
  /**
   * Another process holds the log's lock: the server does not start, or, when the lock was taken
   * from under a running server, refuses writes.
   */
  LOG_IN_USE,
  /** The log file cannot be read as a log: the server does not start. */
  LOG_CORRUPT(false),
  /** A journal segment is damaged before intact entries: the server does not start. */
  JOURNAL_CORRUPT(false),
  /** An option, the auth file or the TLS files are wrong: the server does not start. */
  CONFIG_INVALID(false);

  private final boolean sentToCallers;

  ErrorReason() {
    this(true);
  }

  ErrorReason(boolean sentToCallers) {
    this.sentToCallers = sentToCallers;
  }

  /** Whether this reason can be in a call's status (and so is part of the contract). */
  public boolean sentToCallers() {
    return sentToCallers;
  }
}
