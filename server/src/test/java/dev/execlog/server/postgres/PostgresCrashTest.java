package dev.execlog.server.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import com.zaxxer.hikari.HikariDataSource;
import dev.execlog.server.ExecLogServer;
import dev.execlog.server.Runs;
import dev.execlog.server.ServerConfig;
import dev.execlog.v1.Execution;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.GetExecutionRequest;
import dev.execlog.v1.RecordExecutionResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The database crashes (an immediate stop) and restarts while sixteen clients record through a
 * server on the PostgreSQL store: the clients hear UNAVAILABLE meanwhile and retry with the same
 * run id; afterwards every acknowledged run is there exactly once, as sent, the counters add up,
 * and a retry whose first answer was lost got the stored run back. Then readiness is seen to follow
 * the database down and up again. Runs on a cluster of its own.
 */
class PostgresCrashTest {

  private static final int WRITERS = 16;
  private static final int RUNS_PER_WRITER = 80;

  private static boolean awaitReadiness(ExecLogServer server, boolean ready) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.ready() != ready) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  @Test
  void crashAndRestartUnderSixteenWriters_losesNoAcknowledgedRunAndDoublesNone() throws Exception {
    Path root = Files.createTempDirectory("execlog-pg-crash-");
    try (LocalPostgres pg = LocalPostgres.start(LocalPostgres.Settings.forTests())) {
      PostgresLocation location = PostgresLocation.parse(pg.storeUrl("postgres"), null, name -> null);
      try (HikariDataSource pool = PostgresPool.open(location, 2, "execlog-crash-test")) {
        new PostgresSchema(pool, "crash").migrate(root.toAbsolutePath().normalize());
      }
      String name = InProcessServerBuilder.generateName();
      ExecutorService serverThreads = Executors.newFixedThreadPool(WRITERS);
      try (ExecLogServer server = ExecLogServer.start(ServerConfig.forProject(root).withPostgres(location, WRITERS),
          InProcessServerBuilder.forName(name).executor(serverThreads))) {
        ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
        ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub stub = ExecutionLogServiceGrpc.newBlockingStub(channel);
        Map<String, Execution> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger unavailable = new AtomicInteger();
        AtomicInteger answeredByRetry = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          int me = w;
          done.add(writers.submit(() -> {
            for (int i = 0; i < RUNS_PER_WRITER; i++) {
              Execution.Builder run = Runs.withFiles(Runs.run("t_" + (i % 5)), "data/in-" + i, "data/out-" + me + "-" + i)
                  .setRunId(new UUID(me + 1, i).toString())
                  .setRecordTime(Timestamp.newBuilder().setSeconds(1_700_000_000L + i).setNanos(me));
              boolean retried = false;
              while (true) {
                try {
                  RecordExecutionResponse r = stub.withDeadlineAfter(30, TimeUnit.SECONDS).recordExecution(Runs.record(run));
                  if (r.getAlreadyRecorded()) {
                    assertTrue(retried, "only a retry finds its run stored");
                    answeredByRetry.incrementAndGet();
                  }
                  acknowledged.put(r.getExecution().getRunId(), r.getExecution());
                  break;
                } catch (StatusRuntimeException e) {
                  assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
                  unavailable.incrementAndGet();
                  retried = true;
                  Thread.sleep(50);
                }
              }
            }
            return null;
          }));
        }
        while (acknowledged.size() < WRITERS * RUNS_PER_WRITER / 3) {
          for (Future<?> f : done) {
            if (f.isDone()) {
              f.get(); // a writer that failed before the crash fails the test now
            }
          }
          Thread.sleep(5);
        }
        int beforeCrash = acknowledged.size();
        pg.crash();
        Thread.sleep(300);
        pg.restart();
        for (Future<?> f : done) {
          f.get(3, TimeUnit.MINUTES);
        }
        writers.shutdown();

        int total = WRITERS * RUNS_PER_WRITER;
        assertTrue(unavailable.get() > 0, "the writers noticed the crash");
        assertEquals(total, acknowledged.size());
        for (Execution run : List.copyOf(acknowledged.values()).subList(0, 50)) {
          assertEquals(run, stub.getExecution(GetExecutionRequest.newBuilder().setRunId(run.getRunId()).build()).getExecution(),
              "an acknowledged run is stored as it was answered");
        }
        try (HikariDataSource check = PostgresPool.open(location, 1, "execlog-crash-check")) {
          assertEquals(List.of(total + "|" + total + "|" + total + "|" + total), SharedPostgres.sql(check,
              "SELECT (SELECT count(*) FROM runs), (SELECT count(DISTINCT run_id) FROM runs),"
                  + " (SELECT sum(run_count) FROM tasks), (SELECT count(*) FROM changes)"),
              "runs, ids, counters, change rows");
        }
        // Readiness follows the database: false while it is down, true once it is back.
        assertTrue(awaitReadiness(server, true), "ready while the database answers");
        pg.crash();
        assertTrue(awaitReadiness(server, false), "not ready within 10 s of the database going away");
        // The metrics still answer: the gauges the store feeds are left out while it cannot say.
        Set<String> scraped = new HashSet<>();
        long scrapeStart = System.nanoTime();
        server.metrics().registry().scrape().stream().filter(m -> !m.getDataPoints().isEmpty())
            .forEach(m -> scraped.add(m.getMetadata().getPrometheusName()));
        assertTrue(scraped.contains("execlog_server") && !scraped.contains("execlog_runs"), scraped.toString());
        assertTrue(System.nanoTime() - scrapeStart < TimeUnit.SECONDS.toNanos(15),
            "a scrape does not wait for a database known to be down");
        pg.restart();
        assertTrue(awaitReadiness(server, true), "ready again within 10 s of the database coming back");
        channel.shutdownNow();
        System.out.printf("PostgreSQL store crash under %d gRPC writers: %d runs acknowledged before the immediate"
            + " stop, %d calls answered UNAVAILABLE during it, %d retries answered with the run a lost answer had"
            + " stored; %d runs, none lost, none twice%n", WRITERS, beforeCrash, unavailable.get(),
            answeredByRetry.get(), total);
      } finally {
        serverThreads.shutdownNow();
      }
    }
  }
}
