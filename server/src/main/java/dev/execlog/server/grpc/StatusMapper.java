package dev.execlog.server.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where failures become gRPC statuses. Every status gets a
 * {@code google.rpc.ErrorInfo} (domain {@code execlog.dev}, a reason of the contract's
 * {@code ErrorReason} and its metadata) and, when one request field is at fault, a
 * {@code google.rpc.BadRequest} naming it. Storage and internal failures go to the caller in plain
 * words; their details (file paths, exception classes) stay in the server log.
 */
public final class StatusMapper {

  static final String DOMAIN = "execlog.dev";
  private static final Logger LOG = Logger.getLogger(StatusMapper.class.getName());

  private StatusMapper() {}

  public static StatusRuntimeException toStatus(Throwable t) {
    if (t instanceof StatusRuntimeException sre) {
      return sre;
    }
    if (t instanceof ExecLogException e) {
      return fromDomain(e);
    }
    LOG.log(Level.SEVERE, "unexpected failure", t);
    return status(Code.INTERNAL, ErrorReason.INTERNAL, Map.of(), "internal server error; the server log has the details");
  }

  private static StatusRuntimeException fromDomain(ExecLogException e) {
    Code code = switch (e.kind()) {
      case INVALID_ARGUMENT -> Code.INVALID_ARGUMENT;
      case NOT_FOUND -> Code.NOT_FOUND;
      case ALREADY_EXISTS -> Code.ALREADY_EXISTS;
      case FAILED_PRECONDITION -> Code.FAILED_PRECONDITION;
      case RESOURCE_EXHAUSTED -> Code.RESOURCE_EXHAUSTED;
      case CANCELLED -> Code.CANCELLED;
      case UNAVAILABLE -> Code.UNAVAILABLE;
      case UNAUTHENTICATED -> Code.UNAUTHENTICATED;
      case PERMISSION_DENIED -> Code.PERMISSION_DENIED;
      case INTERNAL -> Code.INTERNAL;
    };
    String message = switch (e.reason()) {
      case STORAGE_FAILURE -> "the log could not be read or written, so nothing was changed; try again later"
          + " (the server log has the details)";
      case DISK_FULL -> "the server's disk is full, so nothing was changed; free space and try again";
      case INTERNAL -> "internal server error; the server log has the details";
      default -> e.getMessage();
    };
    if (!message.equals(e.getMessage())) {
      LOG.log(Level.WARNING, e.reason() + ": " + e.getMessage(), e.getCause());
    }
    if (!e.reason().sentToCallers()) {
      LOG.log(Level.SEVERE, "a start-up failure reached a call: " + e.getMessage(), e);
      return status(Code.INTERNAL, ErrorReason.INTERNAL, Map.of(), "internal server error; the server log has the details");
    }
    return status(code, e.reason(), e.metadata(), message);
  }

  /**
   * A status with its details: the builder for every status the server sends itself (handlers,
   * authentication, request parsing).
   */
  public static StatusRuntimeException status(Code code, ErrorReason reason, Map<String, String> metadata, String message) {
    ErrorInfo info = ErrorInfo.newBuilder().setReason(reason.name()).setDomain(DOMAIN).putAllMetadata(metadata).build();
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber())
        .setMessage(message)
        .addDetails(Any.pack(info));
    String field = metadata.get("field");
    if (field != null && code == Code.INVALID_ARGUMENT) {
      status.addDetails(Any.pack(BadRequest.newBuilder()
          .addFieldViolations(BadRequest.FieldViolation.newBuilder().setField(field).setDescription(message))
          .build()));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }

  /** Whether a status means the caller went away, so nothing needs logging. */
  static boolean isCancellation(Throwable t) {
    return Status.fromThrowable(t).getCode() == Status.Code.CANCELLED;
  }
}
