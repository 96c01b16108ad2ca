package dev.execlog.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.NewRun;
import dev.execlog.client.model.Run;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real server processes killed with SIGKILL under a client: several addresses, a restart on the
 * same port, and a delete that must not be retried. Each server has a project root of its own, so
 * where a run landed can be told from the servers' logs.
 */
class FailoverTest {

  @TempDir
  Path dir;

  private final AttemptCounter attempts = new AttemptCounter();
  private ManagedChannel channel;

  /** A client over the channel the options open, counting the attempts of each call. */
  private ExecutionLogClient client(String target) {
    channel = ConnectionOptions.plaintext(target).openChannel();
    return new ExecutionLogClient(ClientInterceptors.intercept(channel, attempts), Duration.ofSeconds(20),
        Duration.ofMinutes(1));
  }

  @AfterEach
  void closeChannel() {
    if (channel != null) {
      channel.shutdownNow();
    }
  }

  private static long count(ServerProcess s) {
    try (ExecutionLogClient c = ExecutionLogClient.connect(s.address())) {
      return c.info().executionCount();
    }
  }

  @Test
  void twoServers_oneKilled_readsAndRecordsGoOnOnTheSurvivor() throws Exception {
    try (ServerProcess a = ServerProcess.start(dir.resolve("a")); ServerProcess b = ServerProcess.start(dir.resolve("b"))) {
      ExecutionLogClient client = client(a.address() + "," + b.address());
      for (int i = 0; i < 8; i++) {
        client.record(NewRun.builder("t_spread", "test").build());
      }
      long onA = count(a);
      long onB = count(b);
      assertEquals(8, onA + onB);
      assertTrue(onA > 0 && onB > 0, "round robin used both servers: " + onA + " and " + onB);

      a.kill();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ids.add(client.record(NewRun.builder("t_after", "test").build()).runId());
        client.info();
        client.tasks();
      }

      assertEquals(onB + 10, count(b), "every record after the kill landed on the survivor, once");
      for (String id : ids) {
        assertEquals(id, client.get(id).runId());
      }
    }
  }

  @Test
  void serverRestartedOnItsPort_recordsRetryAndNoRunIsStoredTwice() throws Exception {
    try (ServerProcess s = ServerProcess.start(dir.resolve("p"))) {
      ExecutionLogClient client = client(s.address());
      List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
      AtomicInteger alreadyRecorded = new AtomicInteger();
      AtomicInteger resent = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread loop = new Thread(() -> {
        try {
          while (!stop.get()) {
            NewRun run = NewRun.builder("t_loop", "test").build();
            while (true) {
              try {
                ExecutionLogClient.RecordExecutionOutcome o = client.recordWithOutcome(run);
                if (o.alreadyRecorded()) {
                  alreadyRecorded.incrementAndGet();
                }
                acknowledged.add(o.execution().runId());
                break;
              } catch (ExecLogClientException e) {
                if (e.code() != Status.Code.UNAVAILABLE) {
                  throw e;
                }
                resent.incrementAndGet(); // the restart outlasted gRPC's retries: send the same run again
              }
            }
          }
        } catch (Throwable t) {
          failure.set(t);
        }
      }, "record-loop");
      loop.start();
      awaitSize(acknowledged, 20);
      s.kill();
      int atKill = acknowledged.size();
      s.restart();
      awaitSize(acknowledged, atKill + 20);
      stop.set(true);
      loop.join(30_000);
      if (failure.get() != null) {
        throw new AssertionError("the record loop failed", failure.get());
      }

      List<Run> stored = client.history(HistoryQuery.task("t_loop"), 100_000);
      Set<String> storedIds = new HashSet<>();
      stored.forEach(r -> storedIds.add(r.runId()));
      assertEquals(stored.size(), storedIds.size(), "no run id twice");
      assertEquals(new HashSet<>(acknowledged), storedIds, "every acknowledged run stored, nothing else");
      assertEquals(acknowledged.size(), stored.size(), "one run per loop iteration (resent " + resent
          + ", already recorded " + alreadyRecorded + ")");
      assertTrue(attempts.calls().stream().anyMatch(c -> c.method().equals("RecordExecution") && c.attempts().get() > 1),
          "gRPC retried records across the restart");
    }
  }

  @Test
  void serverKilled_deleteFailsAfterOneAttemptWhileReadsRetry() throws Exception {
    try (ServerProcess s = ServerProcess.start(dir.resolve("d"))) {
      ExecutionLogClient client = client(s.address());
      Run run = client.record(NewRun.builder("t_delete", "test").build());
      s.kill();

      ExecLogClientException delete = assertThrows(ExecLogClientException.class, () -> client.delete(run.runId()));
      ExecLogClientException get = assertThrows(ExecLogClientException.class, () -> client.get(run.runId()));

      assertEquals(Status.Code.UNAVAILABLE, delete.code());
      assertEquals(1, attempts.lastAttempts("DeleteExecution"), "a delete is never retried");
      assertEquals(Status.Code.UNAVAILABLE, get.code());
      assertEquals(ServiceConfig.MAX_ATTEMPTS, attempts.lastAttempts("GetExecution"), "a read is retried");
      s.restart();
      try (ExecutionLogClient fresh = ExecutionLogClient.connect(s.address())) {
        assertEquals(run.runId(), fresh.get(run.runId()).runId(), "the run was not deleted");
      }
    }
  }

  private static void awaitSize(List<?> list, int size) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (list.size() < size) {
      if (System.nanoTime() > end) {
        throw new AssertionError("only " + list.size() + " of " + size + " records within 60 s");
      }
      Thread.sleep(10);
    }
  }
}
