package dev.execlog.server.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import dev.execlog.server.model.ExecLogException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where failures become gRPC statuses. Domain errors keep their message and gain
 * {@code google.rpc.ErrorInfo} (a stable reason) and, for bad requests, {@code google.rpc.BadRequest}
 * naming the field. Anything unexpected is logged here and sent as INTERNAL without a stack trace.
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
    return build(Code.INTERNAL, "INTERNAL", null, "internal server error; the server log has the details");
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
      case INTERNAL -> Code.INTERNAL;
    };
    if (code == Code.INTERNAL || code == Code.UNAVAILABLE) {
      LOG.log(Level.WARNING, e.getMessage(), e.getCause());
    }
    return build(code, e.reason(), e.field(), e.getMessage());
  }

  private static StatusRuntimeException build(Code code, String reason, String field, String message) {
    ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(reason).setDomain(DOMAIN);
    if (field != null) {
      info.putMetadata("field", field);
    }
    com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber())
        .setMessage(message)
        .addDetails(Any.pack(info.build()));
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
