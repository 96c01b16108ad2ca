package dev.execlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;

/** Reads the {@code google.rpc.ErrorInfo} of a failed call, as clients do. */
final class ErrorDetails {

  private ErrorDetails() {}

  static ErrorInfo info(StatusRuntimeException e) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      return fail("the status carries no details: " + e.getStatus());
    }
    for (Any any : status.getDetailsList()) {
      if (any.is(ErrorInfo.class)) {
        try {
          return any.unpack(ErrorInfo.class);
        } catch (InvalidProtocolBufferException x) {
          return fail(x);
        }
      }
    }
    return fail("the status carries no ErrorInfo: " + e.getStatus());
  }

  /** Asserts the code, the reason in execlog's domain and every given metadata entry. */
  static void assertReason(StatusRuntimeException e, Status.Code code, String reason, Map<String, String> metadata) {
    assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    ErrorInfo info = info(e);
    assertEquals("execlog.dev", info.getDomain());
    assertEquals(reason, info.getReason(), e.getStatus().toString());
    metadata.forEach((k, v) -> assertEquals(v, info.getMetadataMap().get(k), "metadata " + k + " of " + info));
  }
}
