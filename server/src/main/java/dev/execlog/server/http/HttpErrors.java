package dev.execlog.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;

/**
 * A gRPC failure as an HTTP answer, in the JSON error shape of Google's HTTP APIs (AIP-193):
 * {@code {"error": {"code": 404, "status": "NOT_FOUND", "message": ..., "details": [ErrorInfo,
 * BadRequest]}}}, with the same reasons and metadata a gRPC client gets.
 */
final class HttpErrors {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFormat.Printer DETAILS = JsonFormat.printer()
      .usingTypeRegistry(JsonFormat.TypeRegistry.newBuilder()
          .add(ErrorInfo.getDescriptor()).add(BadRequest.getDescriptor()).build());

  private static final Map<Status.Code, Integer> HTTP = Map.ofEntries(
      Map.entry(Status.Code.CANCELLED, 499),
      Map.entry(Status.Code.UNKNOWN, 500),
      Map.entry(Status.Code.INVALID_ARGUMENT, 400),
      Map.entry(Status.Code.DEADLINE_EXCEEDED, 504),
      Map.entry(Status.Code.NOT_FOUND, 404),
      Map.entry(Status.Code.ALREADY_EXISTS, 409),
      Map.entry(Status.Code.PERMISSION_DENIED, 403),
      Map.entry(Status.Code.RESOURCE_EXHAUSTED, 429),
      Map.entry(Status.Code.FAILED_PRECONDITION, 400),
      Map.entry(Status.Code.ABORTED, 409),
      Map.entry(Status.Code.OUT_OF_RANGE, 400),
      Map.entry(Status.Code.UNIMPLEMENTED, 501),
      Map.entry(Status.Code.INTERNAL, 500),
      Map.entry(Status.Code.UNAVAILABLE, 503),
      Map.entry(Status.Code.DATA_LOSS, 500),
      Map.entry(Status.Code.UNAUTHENTICATED, 401));

  private HttpErrors() {}

  /** The HTTP status code Google's APIs use for a gRPC code. */
  static int httpCode(Status.Code code) {
    return HTTP.getOrDefault(code, 500);
  }

  /** The JSON body of a failure, indented for people reading curl's output. */
  static String body(StatusRuntimeException failure) {
    return write(failure, JSON.writerWithDefaultPrettyPrinter()) + "\n";
  }

  /** The same on one line, to end a stream of JSON lines or server-sent events. */
  static String line(StatusRuntimeException failure) {
    return write(failure, JSON.writer());
  }

  private static String write(StatusRuntimeException failure, ObjectWriter writer) {
    com.google.rpc.Status status = StatusProto.fromThrowable(failure);
    if (status == null) {
      status = com.google.rpc.Status.newBuilder().setCode(failure.getStatus().getCode().value())
          .setMessage(failure.getStatus().getDescription() == null ? "" : failure.getStatus().getDescription())
          .build();
    }
    ObjectNode error = JSON.createObjectNode();
    error.put("code", httpCode(failure.getStatus().getCode()));
    error.put("status", failure.getStatus().getCode().name());
    error.put("message", status.getMessage());
    ArrayNode details = error.putArray("details");
    try {
      for (Any detail : status.getDetailsList()) {
        details.add(JSON.readTree(DETAILS.print(detail)));
      }
      ObjectNode body = JSON.createObjectNode();
      body.set("error", error);
      return writer.writeValueAsString(body);
    } catch (InvalidProtocolBufferException | JsonProcessingException e) {
      throw new IllegalStateException("an error detail that cannot be written as JSON", e);
    }
  }

}
