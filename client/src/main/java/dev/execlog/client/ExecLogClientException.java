package dev.execlog.client;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.execlog.v1.ErrorReason;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one exception the client throws. It carries what the server said about the failure:
 *
 * <ul>
 *   <li>{@link #code()}, the gRPC status code;
 *   <li>{@link #reason()} and {@link #errorReason()}, the stable reason of the status's
 *       {@code google.rpc.ErrorInfo} (domain {@code execlog.dev}), as sent and as the contract's
 *       {@link ErrorReason}; branch on these rather than on the message;
 *   <li>{@link #metadata()}, that ErrorInfo's metadata ({@code run_id}, {@code task_id},
 *       {@code path}, {@code limit}, {@code last_sequence}, {@code role}, {@code required}... as
 *       {@code error_reason.proto} lists them for each reason);
 *   <li>{@link #field()}, the request field at fault (from {@code google.rpc.BadRequest});
 *   <li>{@link #getMessage()}, the server's message for people, which may change.
 * </ul>
 *
 * <p>Failures that never reached the server or that grpc-java reports itself (UNAVAILABLE when
 * the server cannot be reached, DEADLINE_EXCEEDED, a call cancelled by the caller) and failures
 * the client detects on its own (an unreadable file to import) carry no ErrorInfo: their reason is
 * the empty string, {@link #errorReason()} is {@link ErrorReason#ERROR_REASON_UNSPECIFIED} and the
 * metadata is empty.
 */
public final class ExecLogClientException extends RuntimeException {

  /** The {@code ErrorInfo.domain} of the reasons the execlog server sends. */
  public static final String DOMAIN = "execlog.dev";

  private final Status.Code code;
  private final String reason;
  private final String field;
  private final Map<String, String> metadata;

  /**
   * @param reason an {@link ErrorReason} name, or empty when the failure carries none
   * @param field the request field at fault, or empty
   * @param metadata the reason's metadata (copied)
   */
  public ExecLogClientException(Status.Code code, String reason, String field, Map<String, String> metadata,
      String message, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.reason = reason == null ? "" : reason;
    this.field = field == null ? "" : field;
    this.metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
  }

  /** A failure without metadata. */
  public ExecLogClientException(Status.Code code, String reason, String field, String message, Throwable cause) {
    this(code, reason, field, Map.of(), message, cause);
  }

  /** Builds the exception from any failure of a call. */
  public static ExecLogClientException from(Throwable t) {
    if (t instanceof ExecLogClientException e) {
      return e;
    }
    Status status = Status.fromThrowable(t);
    String reason = "";
    String field = "";
    Map<String, String> metadata = Map.of();
    com.google.rpc.Status details = t instanceof StatusRuntimeException sre ? StatusProto.fromThrowable(sre) : null;
    if (details != null) {
      for (Any any : details.getDetailsList()) {
        try {
          if (any.is(ErrorInfo.class)) {
            ErrorInfo info = any.unpack(ErrorInfo.class);
            if (DOMAIN.equals(info.getDomain())) { // another domain's reasons (a proxy's) are not ours to name
              reason = info.getReason();
              metadata = info.getMetadataMap();
            }
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
    if (field.isEmpty()) {
      field = metadata.getOrDefault("field", "");
    }
    String message = status.getDescription() != null ? status.getDescription() : describe(status);
    return new ExecLogClientException(status.getCode(), reason, field, metadata, message, t);
  }

  private static String describe(Status status) {
    return switch (status.getCode()) {
      case UNAVAILABLE -> "the execlog server is not reachable";
      case DEADLINE_EXCEEDED -> "the server did not answer in time";
      default -> status.getCode().name().toLowerCase().replace('_', ' ');
    };
  }

  /** The gRPC status code, such as {@code NOT_FOUND}. */
  public Status.Code code() {
    return code;
  }

  /**
   * The server's stable reason as sent, an {@link ErrorReason} name such as {@code RUN_NOT_FOUND}
   * or {@code PATH_OUTSIDE_ROOT}; the empty string when the status carries no execlog ErrorInfo
   * (the transport failures grpc-java reports itself, such as UNAVAILABLE and DEADLINE_EXCEEDED,
   * and failures the client detects itself). A newer server may send a name this client does not
   * know yet: it is here as sent, and {@link #errorReason()} is {@code UNRECOGNIZED}.
   */
  public String reason() {
    return reason;
  }

  /**
   * {@link #reason()} as the contract's enum: {@link ErrorReason#ERROR_REASON_UNSPECIFIED} when
   * there is no reason, {@link ErrorReason#UNRECOGNIZED} for a name this client does not know.
   */
  public ErrorReason errorReason() {
    if (reason.isEmpty()) {
      return ErrorReason.ERROR_REASON_UNSPECIFIED;
    }
    EnumValueDescriptor value = ErrorReason.getDescriptor().findValueByName(reason);
    return value == null ? ErrorReason.UNRECOGNIZED : ErrorReason.valueOf(value);
  }

  /** The request field at fault, such as {@code execution.task_id}; empty when none. */
  public String field() {
    return field;
  }

  /**
   * The ErrorInfo's metadata, such as {@code run_id}, {@code path} or {@code limit} (the keys of
   * each reason are listed in {@code error_reason.proto}); unmodifiable, sorted by key, empty when
   * none.
   */
  public Map<String, String> metadata() {
    return metadata;
  }
}
