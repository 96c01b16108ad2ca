package dev.execlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.execlog.server.postgres.LocalPostgres;
import dev.execlog.server.postgres.PostgresLocation;
import dev.execlog.server.postgres.PostgresPool;
import dev.execlog.server.postgres.PostgresSchema;
import dev.execlog.server.postgres.SharedPostgres;
import dev.execlog.v1.Execution;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.GetLogInfoRequest;
import dev.execlog.v1.WatchExecutionsRequest;
import dev.execlog.v1.WatchExecutionsResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/**
 * Three server processes on one throwaway PostgreSQL, 24 writers spread over them. Mid-load one
 * server is SIGKILLed and started again, later the database stops immediately and restarts. A
 * watch on the third server, moved to the first half-way with its resume point, must see every
 * run exactly once and in one gapless numbering; every writer must finish (retrying on the other
 * servers with its run id), and the database must hold every acknowledged run exactly once.
 */
class PostgresClusterIT {

  private static final int WRITERS = 24;
  private static final int RUNS_PER_WRITER = 60;
  /** Each writer's pause between runs, so the load spans the kill, the move and the crash. */
  private static final long PACE_MS = 40;

  private final AtomicReferenceArray<ManagedChannel> channels = new AtomicReferenceArray<>(3);

  private static ManagedChannel channel(int port) {
    return Grpc.newChannelBuilder("127.0.0.1:" + port, InsecureChannelCredentials.create()).build();
  }

  private ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub stub(int server) {
    return ExecutionLogServiceGrpc.newBlockingStub(channels.get(server)).withDeadlineAfter(15, TimeUnit.SECONDS);
  }

  /** A watch that keeps what it receives; {@code ended} holds its error if it ends. */
  private static final class Watch implements StreamObserver<WatchExecutionsResponse> {
    final List<WatchExecutionsResponse> events = new CopyOnWriteArrayList<>();
    volatile Throwable ended;

    @Override
    public void onNext(WatchExecutionsResponse value) {
      events.add(value);
    }

    @Override
    public void onError(Throwable t) {
      ended = t;
    }

    @Override
    public void onCompleted() {
      ended = new IllegalStateException("completed");
    }

    List<WatchExecutionsResponse> changes() {
      return events.stream().filter(WatchExecutionsResponse::hasChange).toList();
    }
  }

  @Test
  void threeServers_killedServerAndDatabaseCrash_loseNothingAndTheWatchSeesEachRunOnce() throws Exception {
    Path root = Files.createTempDirectory("execlog-cluster-").toAbsolutePath().normalize();
    try (LocalPostgres pg = LocalPostgres.start(LocalPostgres.Settings.forTests().withMaxConnections(120))) {
      String url = pg.storeUrl("postgres");
      PostgresLocation location = PostgresLocation.parse(url, null, name -> null);
      try (HikariDataSource pool = PostgresPool.open(location, 2, "execlog-cluster-test")) {
        new PostgresSchema(pool, url).migrate(root);
      }
      ServerProcess[] servers = new ServerProcess[3];
      try {
        for (int i = 0; i < 3; i++) {
          servers[i] = ServerProcess.start(root, "--store", url, "--server-id", "server-" + i);
          channels.set(i, channel(servers[i].port()));
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
          ids.add(stub(i).getLogInfo(GetLogInfoRequest.getDefaultInstance()).getServerId());
          assertEquals("postgresql", stub(i).getLogInfo(GetLogInfoRequest.getDefaultInstance()).getStore());
        }
        assertEquals(Set.of("server-0", "server-1", "server-2"), ids, "each server names itself");

        Watch onC = new Watch();
        ExecutionLogServiceGrpc.newStub(channels.get(2)).watchExecutions(WatchExecutionsRequest.getDefaultInstance(),
            onC);

        // Each writer starts on its own server and moves on to the next one after each failed call.
        RetryingWriters writers = new RetryingWriters(WRITERS, RUNS_PER_WRITER, PACE_MS,
            Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED),
            (me, i) -> Runs.withFiles(Runs.run("t_" + (i % 6)), "data/in-" + i, "data/out-" + me + "-" + i)
                .setRunId(new UUID(me + 1, i).toString()),
            (me, failures, request) -> stub((me + failures) % 3).recordExecution(request));
        Map<String, Execution> acknowledged = writers.acknowledged();
        int total = writers.total();
        writers.awaitAcknowledged(total / 6);
        servers[1].kill();
        int atKill = acknowledged.size();

        // The watch moves from server C to server A with its resume point.
        writers.awaitAcknowledged(total * 3 / 10);
        WatchExecutionsResponse startedOnC = onC.events.get(0);
        channels.get(2).shutdownNow(); // ends the watch on C from this side
        List<WatchExecutionsResponse> changesOnC = List.copyOf(onC.changes());
        channels.set(2, channel(servers[2].port()));
        long resumeAfter = changesOnC.isEmpty() ? startedOnC.getStarted().getSequence()
            : changesOnC.get(changesOnC.size() - 1).getChange().getSequence();
        Watch onA = new Watch();
        ExecutionLogServiceGrpc.newStub(channels.get(0)).watchExecutions(WatchExecutionsRequest.newBuilder()
            .setFeedId(startedOnC.getStarted().getFeedId()).setAfterSequence(resumeAfter).build(), onA);

        writers.awaitAcknowledged(total * 9 / 20);
        int atCrash = acknowledged.size();
        pg.crash();
        Thread.sleep(500);
        pg.restart();
        servers[1] = ServerProcess.start(root, "--store", url, "--server-id", "server-1");
        ManagedChannel old = channels.getAndSet(1, channel(servers[1].port()));
        old.shutdownNow();
        int atRestart = acknowledged.size();
        writers.finish(5, TimeUnit.MINUTES);
        assertEquals(total, acknowledged.size(), "every writer finished every run");

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (changesOnC.size() + onA.changes().size() < total && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertTrue(onA.events.get(0).getStarted().getResumed(), "the watch resumed on A: " + onA.events.get(0));
        List<WatchExecutionsResponse> all = new ArrayList<>(changesOnC);
        all.addAll(onA.changes());
        List<String> watched = all.stream().map(c -> c.getChange().getExecution().getRunId()).toList();
        assertEquals(total, watched.size(), "each run once: " + (watched.size() - new HashSet<>(watched).size())
            + " duplicates");
        assertEquals(acknowledged.keySet(), new HashSet<>(watched));
        for (int i = 1; i < all.size(); i++) {
          assertEquals(all.get(i - 1).getChange().getSequence() + 1, all.get(i).getChange().getSequence(),
              "one gapless numbering across servers, at change " + i);
        }
        try (HikariDataSource check = PostgresPool.open(location, 1, "execlog-cluster-check")) {
          assertEquals(List.of(total + "|" + total + "|" + total), SharedPostgres.sql(check,
              "SELECT (SELECT count(*) FROM runs), (SELECT count(DISTINCT run_id) FROM runs),"
                  + " (SELECT sum(run_count) FROM tasks)"), "runs, ids, counters");
        }
        assertTrue(atCrash < total * 3 / 4, "the database crashed under load (" + atCrash + " of " + total + ")");
        System.out.printf("cluster of 3 servers, %d writers: %d runs; server B SIGKILLed at %d acknowledged, the"
            + " watch moved from C to A after change %d, the database stopped immediately at %d and B was back at %d;"
            + " %d retries (%d answered with the run a lost answer had stored); none lost, none twice%n",
            WRITERS, total, atKill, resumeAfter, atCrash, atRestart, writers.failures(), writers.answeredByRetry());
      } finally {
        for (int i = 0; i < 3; i++) {
          if (channels.get(i) != null) {
            channels.get(i).shutdownNow();
          }
          if (servers[i] != null) {
            servers[i].close();
          }
        }
      }
    }
  }
}
