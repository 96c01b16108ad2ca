package dev.execlog.server.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import com.zaxxer.hikari.HikariDataSource;
import dev.execlog.server.ExecLogServer;
import dev.execlog.server.RetryingWriters;
import dev.execlog.server.Runs;
import dev.execlog.server.ServerConfig;
import dev.execlog.v1.Execution;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.GetExecutionRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
        RetryingWriters writers = new RetryingWriters(WRITERS, RUNS_PER_WRITER, 0, Set.of(Status.Code.UNAVAILABLE),
            (me, i) -> Runs.withFiles(Runs.run("t_" + (i % 5)), "data/in-" + i, "data/out-" + me + "-" + i)
                .setRunId(new UUID(me + 1, i).toString())
                .setRecordTime(Timestamp.newBuilder().setSeconds(1_700_000_000L + i).setNanos(me)),
            (me, failures, request) -> stub.withDeadlineAfter(30, TimeUnit.SECONDS).recordExecution(request));
        Map<String, Execution> acknowledged = writers.acknowledged();
        writers.awaitAcknowledged(writers.total() / 3);
        int beforeCrash = acknowledged.size();
        pg.crash();
        Thread.sleep(300);
        pg.restart();
        writers.finish(3, TimeUnit.MINUTES);

        int total = writers.total();
        assertTrue(writers.failures() > 0, "the writers noticed the crash");
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
            + " stored; %d runs, none lost, none twice%n", WRITERS, beforeCrash, writers.failures(),
            writers.answeredByRetry(), total);
      } finally {
        serverThreads.shutdownNow();
      }
    }
  }
}
