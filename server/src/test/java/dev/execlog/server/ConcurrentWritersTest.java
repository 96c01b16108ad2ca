package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.GetLogInfoRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Many clients recording at once over real sockets: every acknowledged run is kept. */
class ConcurrentWritersTest {

  @Test
  void sixteenClientsRecordingTwoHundredRunsEach_allRunsAreInTheLogAndTheFile() throws Exception {
    Path root = Files.createTempDirectory("execlog-concurrent-");
    ServerConfig config = ServerConfig.forProject(root);
    ExecLogServer server = ExecLogServer.start(config, NettyServerBuilder.forAddress(
        new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create()));
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<ManagedChannel> channels = new ArrayList<>();
    try {
      List<Future<?>> clients = new ArrayList<>();
      for (int c = 0; c < 16; c++) {
        ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + server.port(),
            InsecureChannelCredentials.create()).build();
        channels.add(channel);
        String task = "t_client_" + c;
        clients.add(pool.submit(() -> {
          var stub = ExecutionLogServiceGrpc.newBlockingStub(channel);
          for (int i = 0; i < 200; i++) {
            acknowledged.add(stub.withDeadlineAfter(30, TimeUnit.SECONDS)
                .recordExecution(record(run(task))).getExecution().getRunId());
          }
          return null;
        }));
      }
      for (Future<?> f : clients) {
        f.get(120, TimeUnit.SECONDS);
      }
      assertEquals(3200, acknowledged.size());
      long count = ExecutionLogServiceGrpc.newBlockingStub(channels.get(0))
          .getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount();
      assertEquals(3200, count);
    } finally {
      channels.forEach(ManagedChannel::shutdownNow);
      pool.shutdownNow();
      server.close();
    }
    Set<String> inFile = new HashSet<>();
    new ObjectMapper().readTree(config.logFile().toFile()).get("executions")
        .forEach(e -> inFile.add(e.get("task_run_id").asText()));
    assertEquals(acknowledged, inFile);
  }
}
