package dev.execlog.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * The one exception the client throws: the gRPC status code, the server's stable reason (from
 * {@code google.rpc.ErrorInfo}), the request field at fault (from {@code google.rpc.BadRequest}),
 * and the server's message.
 */
public final class ExecLogClientException extends RuntimeException {

  private final Status.Code code;
  private final String reason;
  private final String field;

  public ExecLogClientException(Status.Code code, String reason, String field, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.reason = reason;
    this.field = field;
  }

  /** Builds the exception from any failure of a call. */
  public static ExecLogClientException from(Throwable t) {
    if (t instanceof ExecLogClientException e) {
      return e;
    }
    Status status = Status.fromThrowable(t);
    String reason = status.getCode().name();
    String field = "";
    com.google.rpc.Status details = t instanceof StatusRuntimeException sre ? StatusProto.fromThrowable(sre) : null;
    if (details != null) {
      for (Any any : details.getDetailsList()) {
        try {
          if (any.is(ErrorInfo.class)) {
            ErrorInfo info = any.unpack(ErrorInfo.class);
            reason = info.getReason();
            field = field.isEmpty() ? info.getMetadataOrDefault("field", "") : field;
          } else if (any.is(BadRequest.class)) {
            BadRequest bad = any.unpack(BadRequest.class);
            if (bad.getFieldViolationsCount() > 0) {
              field = bad.getFieldViolations(0).getField();
            }
          }
        } catch (InvalidProtocolBufferException ignored) {
          // a detail we cannot read does not hide the status itself
        }
      }
    }
    String message = status.getDescription() != null ? status.getDescription() : describe(status);
    return new ExecLogClientException(status.getCode(), reason, field, message, t);
  }

  private static String describe(Status status) {
    return switch (status.getCode()) {
      case UNAVAILABLE -> "the execlog server is not reachable";
      case DEADLINE_EXCEEDED -> "the server did not answer in time";
      default -> status.getCode().name().toLowerCase().replace('_', ' ');
    };
  }

  public Status.Code code() {
    return code;
  }

  /** The server's stable reason, such as {@code INVALID_FIELD} or {@code NOT_FOUND}. */
  public String reason() {
    return reason;
  }

  /** The request field at fault, such as {@code execution.task_id}; empty when none. */
  public String field() {
    return field;
  }
}
