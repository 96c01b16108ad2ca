package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A log path that is a symbolic link (configs/execution_log.json -> elsewhere/log.json) stays a
 * link: the server writes through to the target, keeps its journal beside the target, and a server
 * started on either spelling of the path keeps the other out.
 */
class SymlinkedLogTest {

  @Test
  void linkToAnExistingLog_staysALinkAndTheTargetHoldsTheRuns() throws Exception {
    Path root = Files.createTempDirectory("execlog-link-");
    Path target = Files.createDirectories(root.resolve("elsewhere")).resolve("log.json");
    ServerConfig direct = ServerConfig.forProject(root).withLogFile(target);
    try (Running server = Running.start(direct)) {
      server.recordRuns(2);
    }
    Path link = linkTo(root, target);

    ServerConfig viaLink = ServerConfig.forProject(root).withFoldInterval(Duration.ofDays(1));
    try (Running server = Running.start(viaLink)) {
      server.recordRuns(3);
      assertFalse(journal(target.getParent()).isEmpty(), "the journal lives beside the target");
      assertEquals(List.of(), journal(link.getParent()), "no journal beside the link");
    }
    assertTrue(Files.isSymbolicLink(link), "the log path is still a symbolic link");
    assertEquals(target, Files.readSymbolicLink(link));
    assertTrue(Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS));
    assertEquals(5, runsIn(target), "the target holds the runs of both servers");
    assertEquals(List.of(), leftovers(link.getParent()), "nothing left beside the link");
    assertEquals(List.of(), leftovers(target.getParent()), "nothing left beside the target");
  }

  @Test
  void relativeLinkToAMissingFile_createsTheTarget() throws Exception {
    Path root = Files.createTempDirectory("execlog-link-");
    Path link = Files.createDirectories(root.resolve("configs")).resolve("execution_log.json");
    Files.createSymbolicLink(link, Path.of("..", "data", "log.json"));
    Path target = root.resolve("data").resolve("log.json");
    try (Running server = Running.start(ServerConfig.forProject(root))) {
      server.recordRuns(4);
    }
    assertTrue(Files.isSymbolicLink(link), "the log path is still a symbolic link");
    assertTrue(Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS), "the server created the target");
    assertEquals(4, runsIn(target));
  }

  @Test
  void serversOnTheLinkAndOnItsTarget_keepEachOtherOut() throws Exception {
    Path root = Files.createTempDirectory("execlog-link-");
    Path target = Files.createDirectories(root.resolve("elsewhere")).resolve("log.json");
    linkTo(root, target);
    try (Running viaLink = Running.start(ServerConfig.forProject(root))) {
      viaLink.recordRuns(1);
      ExecLogException refused = assertThrows(ExecLogException.class,
          () -> Running.start(ServerConfig.forProject(root).withLogFile(target)).close(),
          "a second server on the link's target is refused");
      assertEquals(ErrorReason.LOG_IN_USE, refused.reason(), refused.getMessage());
    }
    try (Running direct = Running.start(ServerConfig.forProject(root).withLogFile(target))) {
      ExecLogException refused = assertThrows(ExecLogException.class,
          () -> Running.start(ServerConfig.forProject(root)).close(), "a second server through the link is refused");
      assertEquals(ErrorReason.LOG_IN_USE, refused.reason(), refused.getMessage());
    }
    assertEquals(1, runsIn(target));
  }

  private static Path linkTo(Path root, Path target) throws IOException {
    Path link = Files.createDirectories(root.resolve("configs")).resolve("execution_log.json");
    return Files.createSymbolicLink(link, target);
  }

  private static int runsIn(Path file) throws IOException {
    return new ObjectMapper().readTree(file.toFile()).get("executions").size();
  }

  private static List<Path> journal(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().contains(".journal.")).toList();
    }
  }

  /** Temporary files and journal segments: none may stay after a clean stop. */
  private static List<Path> leftovers(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".tmp")
          || p.getFileName().toString().contains(".journal.")).toList();
    }
  }

  /** A server over the in-process transport. */
  private record Running(ExecLogServer server, ManagedChannel channel) implements AutoCloseable {

    static Running start(ServerConfig config) throws IOException {
      String name = InProcessServerBuilder.generateName();
      ExecLogServer server = ExecLogServer.start(config, InProcessServerBuilder.forName(name));
      return new Running(server, InProcessChannelBuilder.forName(name).build());
    }

    void recordRuns(int runs) {
      var stub = ExecutionLogServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
      for (int i = 0; i < runs; i++) {
        stub.recordExecution(record(run("t_link_" + i)));
      }
    }

    @Override
    public void close() throws InterruptedException {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
      server.close();
    }
  }
}
