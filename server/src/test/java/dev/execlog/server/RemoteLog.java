package dev.execlog.server;

import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub;
import dev.execlog.v1.GetLogInfoRequest;
import dev.execlog.v1.ImportOptions;
import dev.execlog.v1.ListExecutionsRequest;
import dev.execlog.v1.ListExecutionsResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** A client of a server running as its own process, for tests that kill it. */
final class RemoteLog implements AutoCloseable {

  private final ManagedChannel channel;

  RemoteLog(int port) {
    channel = Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create()).build();
  }

  ExecutionLogServiceBlockingStub stub() {
    return ExecutionLogServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  long count() {
    return stub().getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount();
  }

  Set<String> runIds() {
    Set<String> ids = new HashSet<>();
    String token = "";
    do {
      ListExecutionsResponse page = stub()
          .listExecutions(ListExecutionsRequest.newBuilder().setPageSize(1000).setPageToken(token).build());
      page.getExecutionsList().forEach(e -> ids.add(e.getRunId()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return ids;
  }

  /** Uploads a log; throws the call's StatusRuntimeException when it fails (as when the server dies). */
  void importLog(String text, ImportOptions options) throws Exception {
    StreamCalls.importLog(ExecutionLogServiceGrpc.newStub(channel), text, options);
  }

  static Set<String> runIds(int port) throws InterruptedException {
    try (RemoteLog log = new RemoteLog(port)) {
      return log.runIds();
    }
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }
}
