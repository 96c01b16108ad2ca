package dev.execlog.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import dev.execlog.v1.ErrorReason;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a status becomes the exception: with and without ErrorInfo, and with reasons this client does not know. */
class ExecLogClientExceptionTest {

  private static ExecLogClientException from(Code code, String message, Any... details) {
    return ExecLogClientException.from(StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(code.getNumber()).setMessage(message).addAllDetails(List.of(details)).build()));
  }

  private static Any info(String domain, String reason, Map<String, String> metadata) {
    return Any.pack(ErrorInfo.newBuilder().setDomain(domain).setReason(reason).putAllMetadata(metadata).build());
  }

  @Test
  void errorInfo_givesReasonTypedReasonMetadataAndField() {
    ExecLogClientException e = from(Code.NOT_FOUND, "task_id: task t_1 has no run",
        info("execlog.dev", "TASK_HAS_NO_RUN", Map.of("task_id", "t_1", "field", "task_id")));

    assertEquals(Status.Code.NOT_FOUND, e.code());
    assertEquals("TASK_HAS_NO_RUN", e.reason());
    assertEquals(ErrorReason.TASK_HAS_NO_RUN, e.errorReason());
    assertEquals("task_id", e.field());
    assertEquals(Map.of("task_id", "t_1", "field", "task_id"), e.metadata());
    assertEquals("task_id: task t_1 has no run", e.getMessage());
    assertThrows(UnsupportedOperationException.class, () -> e.metadata().clear());
  }

  @Test
  void badRequest_namesTheFieldEvenWithoutMetadata() {
    ExecLogClientException e = from(Code.INVALID_ARGUMENT, "execution.task_id: must not be empty",
        info("execlog.dev", "INVALID_FIELD", Map.of()), Any.pack(BadRequest.newBuilder()
            .addFieldViolations(BadRequest.FieldViolation.newBuilder().setField("execution.task_id")).build()));

    assertEquals(ErrorReason.INVALID_FIELD, e.errorReason());
    assertEquals("execution.task_id", e.field());
  }

  @Test
  void noErrorInfo_transportFailure_hasEmptyReasonAndMetadata() {
    ExecLogClientException e = ExecLogClientException.from(Status.UNAVAILABLE.asRuntimeException());

    assertEquals(Status.Code.UNAVAILABLE, e.code());
    assertEquals("", e.reason());
    assertEquals(ErrorReason.ERROR_REASON_UNSPECIFIED, e.errorReason());
    assertEquals("", e.field());
    assertEquals(Map.of(), e.metadata());
    assertEquals("the execlog server is not reachable", e.getMessage());
  }

  @Test
  void reasonOfANewerServer_isKeptAsSentAndUnrecognized() {
    ExecLogClientException e = from(Code.FAILED_PRECONDITION, "new", info("execlog.dev", "SOMETHING_NEW", Map.of("k", "v")));

    assertEquals("SOMETHING_NEW", e.reason());
    assertEquals(ErrorReason.UNRECOGNIZED, e.errorReason());
    assertEquals(Map.of("k", "v"), e.metadata());
  }

  @Test
  void errorInfoOfAnotherDomain_isNotTakenForOurs() {
    ExecLogClientException e = from(Code.UNAVAILABLE, "upstream down", info("proxy.example", "RUN_NOT_FOUND", Map.of("a", "b")));

    assertEquals("", e.reason());
    assertEquals(ErrorReason.ERROR_REASON_UNSPECIFIED, e.errorReason());
    assertEquals(Map.of(), e.metadata());
  }

  @Test
  void fromAnExecLogClientException_returnsItUnchanged() {
    ExecLogClientException e = new ExecLogClientException(Status.Code.INTERNAL, "", "", "x", null);

    assertSame(e, ExecLogClientException.from(e));
    assertEquals(Map.of(), e.metadata());
  }
}
