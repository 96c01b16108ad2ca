package dev.execlog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.client.ExecutionLogClient;
import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.Run;
import dev.execlog.server.ExecLogServer;
import dev.execlog.server.ServerConfig;
import io.grpc.InsecureServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the example against a real server on loopback, as a user would. */
class PipelineMainTest {

  @Test
  void pipeline_recordsBothTasksWithInputsAndOutputs() throws Exception {
    Path root = Files.createTempDirectory("execlog-example-");
    try (ExecLogServer server = ExecLogServer.start(ServerConfig.forProject(root),
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create()))) {
      String target = "127.0.0.1:" + server.port();
      assertTrue(PipelineMain.run(target, root));
      try (ExecutionLogClient log = ExecutionLogClient.connect(target)) {
        List<Run> runs = log.history(HistoryQuery.all(), 10);
        assertEquals(List.of("t_1P", "t_1I"), runs.stream().map(Run::taskId).toList());
        Run profile = runs.get(0);
        assertEquals(IngestCustomers.PROCESSED, profile.inputFiles().get(0).path());
        assertEquals(ProfileCustomers.PROFILE, profile.outputFiles().get(0).path());
        assertTrue(Files.exists(root.resolve(ProfileCustomers.PROFILE)));
      }
    }
  }
}
