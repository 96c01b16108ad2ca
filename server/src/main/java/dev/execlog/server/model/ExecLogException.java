package dev.execlog.server.model;

/**
 * A failure the caller can act on. Each kind maps to one gRPC status in one place
 * ({@code dev.execlog.server.grpc.StatusMapper}); {@code field} names the request field at fault.
 */
public class ExecLogException extends RuntimeException {

  /** What went wrong, independent of the transport. */
  public enum Kind {
    INVALID_ARGUMENT,
    NOT_FOUND,
    ALREADY_EXISTS,
    FAILED_PRECONDITION,
    RESOURCE_EXHAUSTED,
    CANCELLED,
    UNAVAILABLE,
    INTERNAL
  }

  private final Kind kind;
  private final String field;
  private final String reason;

  public ExecLogException(Kind kind, String reason, String field, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.field = field;
    this.reason = reason;
  }

  public static ExecLogException invalid(String field, String message) {
    return new ExecLogException(Kind.INVALID_ARGUMENT, "INVALID_FIELD", field, field + ": " + message, null);
  }

  public static ExecLogException notFound(String field, String message) {
    return new ExecLogException(Kind.NOT_FOUND, "NOT_FOUND", field, field + ": " + message, null);
  }

  public static ExecLogException alreadyExists(String field, String message) {
    return new ExecLogException(Kind.ALREADY_EXISTS, "ALREADY_EXISTS", field, field + ": " + message, null);
  }

  public static ExecLogException precondition(String reason, String message) {
    return new ExecLogException(Kind.FAILED_PRECONDITION, reason, null, message, null);
  }

  public static ExecLogException storage(String message, Throwable cause) {
    return new ExecLogException(Kind.UNAVAILABLE, "STORAGE_FAILURE", null, message, cause);
  }

  public static ExecLogException cancelled(String message) {
    return new ExecLogException(Kind.CANCELLED, "CANCELLED", null, message, null);
  }

  public Kind kind() {
    return kind;
  }

  /** The request field at fault, or null. */
  public String field() {
    return field;
  }

  /** A stable upper-case reason code for {@code google.rpc.ErrorInfo}. */
  public String reason() {
    return reason;
  }
}
