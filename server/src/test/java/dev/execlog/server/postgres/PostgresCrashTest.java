package dev.execlog.server.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import dev.execlog.server.store.RecordOutcome;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The database crashes (an immediate stop) and restarts under eight writers: the writers see
 * STORAGE_FAILURE (UNAVAILABLE) meanwhile and retry by run id; afterwards every acknowledged run
 * is there exactly once and the counters add up. Runs on a cluster of its own, not the shared one.
 */
class PostgresCrashTest {

  private static final int WRITERS = 8;
  private static final int RUNS_PER_WRITER = 150;

  @Test
  void crashAndRestartUnderWriters_losesNoAcknowledgedRun() throws Exception {
    try (LocalPostgres pg = LocalPostgres.start(LocalPostgres.Settings.forTests());
         HikariDataSource pool = PostgresPool.open(
             PostgresLocation.parse(pg.storeUrl("postgres"), null, name -> null), WRITERS, "execlog-crash-test")) {
      new PostgresSchema(pool, "crash").migrate(Path.of("/srv/project"));
      PostgresRuns runs = new PostgresRuns(pool, p -> p);
      Map<String, Execution> acknowledged = new ConcurrentHashMap<>();
      AtomicInteger unavailable = new AtomicInteger();
      AtomicInteger answeredByRetry = new AtomicInteger();
      ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int me = w;
        done.add(writers.submit(() -> {
          for (int i = 0; i < RUNS_PER_WRITER; i++) {
            Execution run = Execution.builder("w" + me + "-" + i, "t_" + (i % 5)).taskType("transform")
                .recordTimeMicros(1_000_000L * i + me).success(true).executionTime(1, true)
                .inputFiles(List.of(new InputFile("in", "data/in-" + i)))
                .outputFiles(List.of(new OutputFile("data/out-" + me + "-" + i, "", "")))
                .build();
            boolean retried = false;
            while (true) {
              try {
                RecordOutcome outcome = runs.record(run, true, true);
                if (outcome.alreadyRecorded()) {
                  assertTrue(retried, "only a retry finds its run stored");
                  answeredByRetry.incrementAndGet();
                }
                assertEquals(run, outcome.execution());
                acknowledged.put(run.runId(), run);
                break;
              } catch (ExecLogException e) {
                assertEquals(ErrorReason.STORAGE_FAILURE, e.reason(), e.getMessage());
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
        assertEquals(run, runs.get(run.runId()), "an acknowledged run is stored as sent");
      }
      try (Connection c = pool.getConnection(); Statement s = c.createStatement();
           ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM runs), (SELECT count(DISTINCT run_id) FROM runs),"
               + " (SELECT sum(run_count) FROM tasks), (SELECT count(*) FROM changes)")) {
        r.next();
        assertEquals(List.of((long) total, (long) total, (long) total, (long) total),
            List.of(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)), "runs, ids, counters, change rows");
      }
      System.out.printf("PostgreSQL store crash: %d runs acknowledged before the immediate stop, %d calls answered"
          + " UNAVAILABLE during it, %d retries answered with the run a lost answer had stored; %d runs, none lost,"
          + " none twice%n", beforeCrash, unavailable.get(), answeredByRetry.get(), total);
    }
  }
}
