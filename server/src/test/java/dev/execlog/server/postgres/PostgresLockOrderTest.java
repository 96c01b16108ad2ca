package dev.execlog.server.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import dev.execlog.server.model.Execution;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Removals of overlapping sets of runs across many tasks, listed in random orders, race each other
 * and new records: no transaction ever meets a deadlock (locks are taken in one order: runs by
 * seq, then task counters by task id), each run is removed by exactly one caller, counters stay exact.
 */
class PostgresLockOrderTest {

  private static final int TASKS = 40;

  /**
   * A removal that takes a task's last runs while another transaction, not yet committed, has
   * removed one more: the counter must be read after that transaction ends, or 3 - 2 is decided on
   * the stale 3 and written as 2 - 2 = 0, which the schema refuses.
   */
  @Test
  void removingTheLastRunsWhileAnotherRemovalCommits_dropsTheTaskRow() throws Exception {
    String db = SharedPostgres.newDatabase("lastruns");
    try (HikariDataSource pool = SharedPostgres.pool(db, 4)) {
      new PostgresSchema(pool, db).migrate(Path.of("/srv/project"));
      PostgresRuns runs = new PostgresRuns(pool, p -> p);
      for (String id : List.of("a", "b", "c")) {
        runs.record(Execution.builder(id, "t_last").recordTimeMicros(1).success(true).build(), true, true);
      }
      ExecutorService second = Executors.newSingleThreadExecutor();
      try (Connection first = pool.getConnection()) {
        first.setAutoCommit(false);
        try (Statement s = first.createStatement()) {
          s.executeUpdate("DELETE FROM runs WHERE run_id = 'a'");
          s.executeUpdate("UPDATE tasks SET run_count = run_count - 1 WHERE task_id = 't_last'");
        }
        Future<List<String>> removal = second.submit(() -> runs.deleteAll(List.of("b", "c")));
        Thread.sleep(300);  // the removal now waits for the first transaction's row lock
        first.commit();
        assertEquals(List.of("b", "c"), removal.get(30, TimeUnit.SECONDS));
      } finally {
        second.shutdownNow();
      }
      assertEquals(List.of(), SharedPostgres.sql(pool, "SELECT task_id FROM tasks WHERE task_id = 't_last'"));
    }
  }

  @Test
  void overlappingRemovalsAndRecords_neverDeadlock() throws Exception {
    String db = SharedPostgres.newDatabase("locks");
    try (HikariDataSource pool = SharedPostgres.pool(db, 12)) {
      new PostgresSchema(pool, db).migrate(Path.of("/srv/project"));
      PostgresRuns runs = new PostgresRuns(pool, p -> p);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < TASKS * 10; i++) {
        String id = "old-" + i;
        runs.record(Execution.builder(id, "t_" + i % TASKS).recordTimeMicros(i).success(true).build(), true, true);
        ids.add(id);
      }
      ExecutorService pool8 = Executors.newFixedThreadPool(12);
      List<Future<List<String>>> removers = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        Random random = new Random(w);
        removers.add(pool8.submit(() -> {
          List<String> removed = new ArrayList<>();
          for (int round = 0; round < 15; round++) {
            List<String> pick = new ArrayList<>(ids);
            Collections.shuffle(pick, random);
            removed.addAll(runs.deleteAll(pick.subList(0, 40)));
          }
          return removed;
        }));
      }
      List<Future<?>> recorders = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int me = w;
        recorders.add(pool8.submit(() -> {
          for (int i = 0; i < 150; i++) {
            runs.record(Execution.builder("new-" + me + "-" + i, "t_" + (i * 7 + me) % TASKS).recordTimeMicros(i)
                .success(true).build(), true, true);
          }
          return null;
        }));
      }
      Set<String> removedOnce = new HashSet<>();
      int removedCount = 0;
      for (Future<List<String>> f : removers) {
        List<String> removed = f.get(3, TimeUnit.MINUTES);
        removedCount += removed.size();
        removedOnce.addAll(removed);
      }
      for (Future<?> f : recorders) {
        f.get(3, TimeUnit.MINUTES);
      }
      pool8.shutdown();

      assertEquals(0, runs.retriedTransactions(), "no deadlock, no serialization failure");
      assertEquals(removedOnce.size(), removedCount, "each run removed by one caller only");
      try (Connection c = pool.getConnection(); Statement s = c.createStatement();
           ResultSet r = s.executeQuery("SELECT (SELECT count(*) FROM runs WHERE run_id LIKE 'old-%'),"
               + " (SELECT count(*) FROM runs), (SELECT coalesce(sum(run_count), 0) FROM tasks),"
               + " (SELECT count(*) FROM changes WHERE kind = 'D')")) {
        r.next();
        assertEquals(List.of((long) ids.size() - removedCount, (long) ids.size() - removedCount + 600,
                (long) ids.size() - removedCount + 600, (long) removedCount),
            List.of(r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)));
      }
    }
  }
}
