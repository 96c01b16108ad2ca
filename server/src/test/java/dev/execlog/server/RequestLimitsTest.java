package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub;
import dev.execlog.v1.GetLogInfoRequest;
import dev.execlog.v1.OutputFile;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Limits that hold over a real socket, whatever the request's encoding, and leftovers of a killed server. */
class RequestLimitsTest {

  private static final int LIMIT = 64 * 1024;

  @Test
  void gzipRequestInflatingPastTheLimit_isResourceExhaustedNamingTheLimit() throws Exception {
    Path root = Files.createTempDirectory("execlog-limits-");
    try (ExecLogServer server = ExecLogServer.start(ServerConfig.forProject(root), NettyServerBuilder.forAddress(
        new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create()).maxInboundMessageSize(LIMIT))) {
      ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + server.port(),
          InsecureChannelCredentials.create()).build();
      try {
        ExecutionLogServiceBlockingStub gzip = ExecutionLogServiceGrpc.newBlockingStub(channel)
            .withCompression("gzip").withDeadlineAfter(30, TimeUnit.SECONDS);
        // a megabyte of one letter: a few kilobytes on the wire, far over the limit once inflated
        var bomb = record(run("t_bomb").addOutputFiles(OutputFile.newBuilder().setPath("DATA/out/a.csv")
            .setType("csv").setDescription("a".repeat(1 << 20))));

        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> gzip.recordExecution(bomb));

        ErrorDetails.assertReason(e, Status.Code.RESOURCE_EXHAUSTED, "MESSAGE_TOO_LARGE",
            Map.of("limit", Integer.toString(LIMIT)));
        assertTrue(e.getStatus().getDescription().contains(Integer.toString(LIMIT))
            && e.getStatus().getDescription().contains("--max-message-bytes"), e.getStatus().getDescription());
        assertEquals(0, gzip.getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount(), "nothing stored");
        gzip.recordExecution(record(run("t_small"))); // an ordinary compressed request still works
        assertEquals(1, gzip.getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount());
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void uploadsLeftByAKilledServer_areRemovedAtStart() throws Exception {
    Path root = Files.createTempDirectory("execlog-limits-");
    Path dir = root.resolve(ServerConfig.DEFAULT_LOG).getParent();
    Files.createDirectories(dir);
    Path leftover = Files.writeString(dir.resolve(".execlog-import-4242.json"), "{\"executions\": [");
    Path unrelated = Files.writeString(dir.resolve("notes.json"), "{}");

    try (ExecLogServer server = ExecLogServer.start(ServerConfig.forProject(root), NettyServerBuilder.forAddress(
        new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create()))) {
      assertFalse(Files.exists(leftover), "the unfinished upload is gone");
      assertTrue(Files.exists(unrelated), "other files stay");
    }
  }
}
