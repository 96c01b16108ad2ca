package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static dev.execlog.server.Runs.withFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Kills a real server process with SIGKILL while eight clients record, restarts it, and checks that
 * every acknowledged run survived and the log loads. Trials share one growing log, so kills land
 * during journal appends, folds and renames alike.
 */
class CrashRecoveryIT {

  private static final int TRIALS = Integer.getInteger("execlog.crash.trials", 20);

  @Test
  void sigkillAtRandomMoments_loseNoAcknowledgedRun() throws Exception {
    Path root = Files.createTempDirectory("execlog-crash-");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Random random = new Random(42);
    for (int trial = 0; trial < TRIALS; trial++) {
      try (ServerProcess server = ServerProcess.start(root, "--fold-interval-ms", "30")) {
        Set<String> stored = RemoteLog.runIds(server.port());
        assertTrue(stored.containsAll(acknowledged), "trial " + trial + ": acknowledged runs lost: "
            + acknowledged.stream().filter(id -> !stored.contains(id)).toList());
        // A run can reach the disk just before the kill without its answer reaching the client;
        // from now on it is part of the log and must stay.
        acknowledged.addAll(stored);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
          String task = "t_crash_" + c;
          Thread t = new Thread(() -> recordUntilFailure(server.port(), task, acknowledged, stop));
          t.start();
          clients.add(t);
        }
        Thread.sleep(150 + random.nextInt(600));
        server.kill();
        stop.set(true);
        for (Thread t : clients) {
          t.join(30_000);
        }
      }
    }
    try (ServerProcess server = ServerProcess.start(root)) {
      Set<String> stored = RemoteLog.runIds(server.port());
      assertTrue(stored.containsAll(acknowledged));
      acknowledged.addAll(stored);
      int exit = server.stop();
      // The JVM reports 128 + SIGTERM once its shutdown hook (the clean shutdown) has run.
      assertTrue(exit == 0 || exit == 143, "clean shutdown, exit " + exit + ": " + server.output());
    }
    Set<String> inFile = new HashSet<>();
    new ObjectMapper().readTree(root.resolve(ServerConfig.DEFAULT_LOG).toFile()).get("executions")
        .forEach(e -> inFile.add(e.get("task_run_id").asText()));
    assertEquals(acknowledged, inFile, "after a clean shutdown the file holds exactly the acknowledged runs");
    assertTrue(acknowledged.size() > TRIALS * 8, "the trials recorded runs: " + acknowledged.size());
  }

  private static void recordUntilFailure(int port, String task, Set<String> acknowledged, AtomicBoolean stop) {
    ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create()).build();
    try {
      ExecutionLogServiceBlockingStub stub = ExecutionLogServiceGrpc.newBlockingStub(channel);
      int i = 0;
      while (!stop.get()) {
        String id = stub.withDeadlineAfter(10, TimeUnit.SECONDS).recordExecution(record(
            withFiles(run(task), "in/" + task + ".csv", "out/" + task + "/" + i++ + ".csv"))).getExecution().getRunId();
        acknowledged.add(id);
      }
    } catch (RuntimeException expected) {
      // the server was killed: calls in flight were never acknowledged
    } finally {
      channel.shutdownNow();
    }
  }
}
