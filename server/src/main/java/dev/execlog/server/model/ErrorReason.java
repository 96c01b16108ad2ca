package dev.execlog.server.model;

import dev.execlog.server.model.ExecLogException.Kind;

/**
 * Why an operation failed, independent of the transport, and the kind of failure each reason is
 * (which becomes its gRPC code: one code per reason, as the contract documents). The values that
 * reach callers have the names of the contract's {@code execlog.v1.ErrorReason} (a test holds the
 * two lists together); the others stop the server's start and never travel.
 */
public enum ErrorReason {
  INVALID_FIELD(Kind.INVALID_ARGUMENT),
  PATH_OUTSIDE_ROOT(Kind.INVALID_ARGUMENT),
  INVALID_PAGE_TOKEN(Kind.INVALID_ARGUMENT),
  UNPARSABLE_REQUEST(Kind.INVALID_ARGUMENT),
  RUN_TOO_LARGE(Kind.INVALID_ARGUMENT),
  RUN_NOT_FOUND(Kind.NOT_FOUND),
  TASK_HAS_NO_RUN(Kind.NOT_FOUND),
  PRODUCER_NOT_FOUND(Kind.NOT_FOUND),
  RUN_ID_TAKEN(Kind.ALREADY_EXISTS),
  MESSAGE_TOO_LARGE(Kind.RESOURCE_EXHAUSTED),
  IMPORT_TOO_LARGE(Kind.RESOURCE_EXHAUSTED),
  RESPONSE_TOO_LARGE(Kind.RESOURCE_EXHAUSTED),
  DISK_FULL(Kind.RESOURCE_EXHAUSTED),
  WATCH_LAGGED(Kind.RESOURCE_EXHAUSTED),
  STORAGE_FAILURE(Kind.UNAVAILABLE),
  SHUTTING_DOWN(Kind.UNAVAILABLE),
  OPERATION_CANCELLED(Kind.CANCELLED),
  UNAUTHENTICATED(Kind.UNAUTHENTICATED),
  ROLE_TOO_LOW(Kind.PERMISSION_DENIED),
  INTERNAL(Kind.INTERNAL),
  /**
   * Another process holds the log's lock: the server does not start, or, when the lock was taken
   * from under a running server, refuses writes.
   */
  LOG_IN_USE(Kind.FAILED_PRECONDITION),
  /** Another cleanup or import is running on the log, through any server of the store. */
  MAINTENANCE_RUNNING(Kind.FAILED_PRECONDITION),
  /** The log file cannot be read as a log: the server does not start. */
  LOG_CORRUPT(Kind.FAILED_PRECONDITION, false),
  /** A journal segment is damaged before intact entries: the server does not start. */
  JOURNAL_CORRUPT(Kind.FAILED_PRECONDITION, false),
  /** An option, the auth file or the TLS files are wrong: the server does not start. */
  CONFIG_INVALID(Kind.FAILED_PRECONDITION, false);

  private final Kind kind;
  private final boolean sentToCallers;

  ErrorReason(Kind kind) {
    this(kind, true);
  }

  ErrorReason(Kind kind, boolean sentToCallers) {
    this.kind = kind;
    this.sentToCallers = sentToCallers;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether this reason can be in a call's status (and so is part of the contract). */
  public boolean sentToCallers() {
    return sentToCallers;
  }
}
