package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.GetExecutionRequest;
import dev.execlog.v1.GetLogInfoRequest;
import dev.execlog.v1.OutputFile;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real full disk: the log lives on a small tmpfs (mounting one needs root, as CI is; elsewhere the
 * test is skipped). A record that cannot reach the disk fails with RESOURCE_EXHAUSTED, is never
 * visible in memory, and every acknowledged run is there after a restart.
 */
class DiskFullTest {

  private static boolean mount(Path dir) throws Exception {
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", dir.toString())
        .redirectErrorStream(true).start();
    return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
  }

  private static void unmount(Path dir) throws Exception {
    new ProcessBuilder("umount", dir.toString()).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
  }

  @Test
  void fullDisk_failsTheWriteClearlyAndKeepsOnlyWhatIsOnDisk() throws Exception {
    Path root = Files.createTempDirectory("execlog-full-");
    Path configs = Files.createDirectories(root.resolve("configs"));
    assumeTrue(mount(configs), "mounting a tmpfs needs root");
    ExecutorService executor = Executors.newFixedThreadPool(4);
    try {
      List<String> acknowledged = new ArrayList<>();
      StatusRuntimeException failure = null;
      String refusedId = null;
      String name = InProcessServerBuilder.generateName();
      try (ExecLogServer server = ExecLogServer.start(ServerConfig.forProject(root),
          InProcessServerBuilder.forName(name).executor(executor))) {
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        var stub = ExecutionLogServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        String padding = "x".repeat(4000);
        for (int i = 0; i < 400 && failure == null; i++) {
          String id = UUID.randomUUID().toString();
          try {
            stub.recordExecution(record(run("t_full").setRunId(id).addOutputFiles(
                OutputFile.newBuilder().setPath("out/" + i + ".csv").setDescription(padding))));
            acknowledged.add(id);
          } catch (StatusRuntimeException e) {
            failure = e;
            refusedId = id;
          }
        }
        assertTrue(failure != null, "the tmpfs should have filled up");
        ErrorDetails.assertReason(failure, Status.Code.RESOURCE_EXHAUSTED, "DISK_FULL", Map.of());
        assertTrue(failure.getStatus().getDescription().contains("disk is full"), failure.getStatus().getDescription());
        assertFalse(failure.getStatus().getDescription().contains(root.toString()),
            "no server path on the wire: " + failure.getStatus().getDescription());
        String refused = refusedId;
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class,
            () -> stub.getExecution(GetExecutionRequest.newBuilder().setRunId(refused).build()));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode(), "memory never holds what the disk refused");
        assertEquals(acknowledged.size(), stub.getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount());
        channel.shutdownNow();
      }
      // Make room elsewhere, as an operator would, and check that nothing acknowledged was lost.
      unmountKeeping(configs);
      String restartName = InProcessServerBuilder.generateName();
      try (ExecLogServer server = ExecLogServer.start(ServerConfig.forProject(root),
          InProcessServerBuilder.forName(restartName).executor(executor))) {
        ManagedChannel channel = InProcessChannelBuilder.forName(restartName).build();
        var stub = ExecutionLogServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        for (String id : acknowledged) {
          assertEquals(id, stub.getExecution(GetExecutionRequest.newBuilder().setRunId(id).build())
              .getExecution().getRunId());
        }
        assertEquals(acknowledged.size(), stub.getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount());
        channel.shutdownNow();
      }
    } finally {
      executor.shutdownNow();
      unmount(configs);
    }
  }

  /** Copies the tmpfs's files to the disk below it, then unmounts it: the log gets room to grow. */
  private static void unmountKeeping(Path dir) throws Exception {
    Path copy = Files.createTempDirectory("execlog-full-copy-");
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    unmount(dir);
    try (var files = Files.list(copy)) {
      for (Path f : files.toList()) {
        Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
