package dev.execlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Server reflection shows the log service with its whole schema, as grpcurl list/describe need. */
class ReflectionTest {

  @RegisterExtension
  final LogServerExtension server = LogServerExtension.overLoopback();

  @Test
  void listServices_includesTheLogService() throws Exception {
    ServerReflectionResponse answer = ask(ServerReflectionRequest.newBuilder().setListServices("").build());
    List<String> names = answer.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName)
        .toList();
    assertTrue(names.contains("execlog.v1.ExecutionLogService"), names.toString());
    assertTrue(names.contains("grpc.health.v1.Health"), names.toString());
  }

  @Test
  void fileContainingSymbol_describesMethodsAndTheirInputTypes() throws Exception {
    List<FileDescriptorProto> files = files(ask(ServerReflectionRequest.newBuilder()
        .setFileContainingSymbol("execlog.v1.ExecutionLogService").build()));
    ServiceDescriptorProto service = files.stream().flatMap(f -> f.getServiceList().stream())
        .filter(s -> s.getName().equals("ExecutionLogService")).findFirst().orElseThrow();
    MethodDescriptorProto record = service.getMethodList().stream()
        .filter(m -> m.getName().equals("RecordExecution")).findFirst().orElseThrow();
    assertEquals(".execlog.v1.RecordExecutionRequest", record.getInputType());

    List<FileDescriptorProto> inputFiles = files(ask(ServerReflectionRequest.newBuilder()
        .setFileContainingSymbol("execlog.v1.RecordExecutionRequest").build()));
    assertTrue(inputFiles.stream().flatMap(f -> f.getMessageTypeList().stream())
        .anyMatch(m -> m.getName().equals("RecordExecutionRequest") && m.getFieldCount() > 0), inputFiles.toString());
  }

  private static List<FileDescriptorProto> files(ServerReflectionResponse answer)
      throws InvalidProtocolBufferException {
    List<FileDescriptorProto> files = new ArrayList<>();
    for (var bytes : answer.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      files.add(FileDescriptorProto.parseFrom(bytes));
    }
    assertTrue(!files.isEmpty(), "no file descriptors in " + answer);
    return files;
  }

  private ServerReflectionResponse ask(ServerReflectionRequest request) throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(server.channel())
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse value) {
            answer.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            answer.completeExceptionally(new AssertionError("no answer"));
          }
        });
    requests.onNext(request);
    ServerReflectionResponse response = answer.get(10, TimeUnit.SECONDS);
    requests.onCompleted();
    assertTrue(!response.hasErrorResponse(), response.getErrorResponse().toString());
    return response;
  }
}
