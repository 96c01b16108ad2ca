package dev.execlog.server.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure the caller can act on: a kind (which becomes the gRPC code), a stable reason with its
 * metadata (which become {@code google.rpc.ErrorInfo}), and a message for people. Mapped to a
 * status in one place, {@code dev.execlog.server.grpc.StatusMapper}.
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
    UNAUTHENTICATED,
    PERMISSION_DENIED,
    INTERNAL
  }

  private final ErrorReason reason;
  private final Map<String, String> metadata;

  public ExecLogException(ErrorReason reason, Map<String, String> metadata, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.metadata = Map.copyOf(metadata);
  }

  /** A failure about one request field ({@code field} may be null) and no other metadata. */
  public ExecLogException(ErrorReason reason, String field, String message, Throwable cause) {
    this(reason, field == null ? Map.of() : Map.of("field", field), message, cause);
  }

  public static ExecLogException invalid(String field, String message) {
    return new ExecLogException(ErrorReason.INVALID_FIELD, field, field + ": " + message, null);
  }

  public static ExecLogException pathOutsideRoot(String field, String path, String message) {
    return new ExecLogException(ErrorReason.PATH_OUTSIDE_ROOT, meta("field", field, "path", path),
        field + ": " + message, null);
  }

  public static ExecLogException runNotFound(String field, String runId) {
    return new ExecLogException(ErrorReason.RUN_NOT_FOUND, meta("field", field, "run_id", runId),
        field + ": no run with id " + runId, null);
  }

  public static ExecLogException taskHasNoRun(String field, String taskId, String message) {
    return new ExecLogException(ErrorReason.TASK_HAS_NO_RUN, meta("field", field, "task_id", taskId),
        field + ": " + message, null);
  }

  public static ExecLogException producerNotFound(String field, String path, String message) {
    return new ExecLogException(ErrorReason.PRODUCER_NOT_FOUND, meta("field", field, "path", path),
        field + ": " + message, null);
  }

  public static ExecLogException runIdTaken(String field, String runId, String message) {
    return new ExecLogException(ErrorReason.RUN_ID_TAKEN, meta("field", field, "run_id", runId),
        field + ": " + message, null);
  }

  /** Over a size limit of {@code limit} bytes; {@code field} may be null. */
  public static ExecLogException tooLarge(ErrorReason reason, String field, long limit, String message) {
    Map<String, String> m = new LinkedHashMap<>();
    if (field != null) {
      m.put("field", field);
    }
    m.put("limit", Long.toString(limit));
    return new ExecLogException(reason, m, message, null);
  }

  /** A state of the log's files that stops the start or the writes ({@code LOG_IN_USE}, {@code LOG_CORRUPT}...). */
  public static ExecLogException precondition(ErrorReason reason, String message) {
    return new ExecLogException(reason, Map.of(), message, null);
  }

  /** A setting that stops the server's start. */
  public static ExecLogException config(String message) {
    return new ExecLogException(ErrorReason.CONFIG_INVALID, Map.of(), message, null);
  }

  public static ExecLogException storage(String message, Throwable cause) {
    return new ExecLogException(ErrorReason.STORAGE_FAILURE, Map.of(), message, cause);
  }

  public static ExecLogException cancelled(String message) {
    return new ExecLogException(ErrorReason.OPERATION_CANCELLED, Map.of(), message, null);
  }

  private static Map<String, String> meta(String k1, String v1, String k2, String v2) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(k1, v1);
    m.put(k2, v2);
    return m;
  }

  /** The kind of failure, which its reason decides. */
  public Kind kind() {
    return reason.kind();
  }

  /** The request field at fault, or null. */
  public String field() {
    return metadata.get("field");
  }

  public ErrorReason reason() {
    return reason;
  }

  /** The reason's metadata, such as {@code field}, {@code run_id} or {@code limit}. */
  public Map<String, String> metadata() {
    return metadata;
  }
}
