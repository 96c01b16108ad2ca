package dev.execlog.server.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import dev.execlog.server.store.RecordOutcome;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sixteen writers record at once, each retrying some of its records by run id (an answer lost on
 * the way), and pairs of writers race to record the same runs: every run is stored exactly once,
 * every retry gets the stored run back, and the task counters add up.
 */
class PostgresConcurrentWritersTest {

  private static final int WRITERS = 16;
  private static final int RUNS_PER_WRITER = 250;
  private static final int SHARED_PER_WRITER = 25;
  private static final int TASKS = 50;

  private static HikariDataSource pool;
  private static PostgresRuns runs;

  @BeforeAll
  static void migratedDatabase() {
    String db = SharedPostgres.newDatabase("writers");
    pool = SharedPostgres.pool(db, WRITERS);
    new PostgresSchema(pool, db).migrate(Path.of("/srv/project"));
    runs = new PostgresRuns(pool, p -> p);
  }

  @AfterAll
  static void close() {
    pool.close();
  }

  /** A run shaped like the benchmark's: two inputs, two stable outputs and a per-run log. */
  private static Execution run(int task, long micros) {
    String id = UUID.randomUUID().toString();
    String t = "t_" + task;
    return Execution.builder(id, t).taskType("transform").recordTimeMicros(micros).success(micros % 10 != 0)
        .executionTime(1.25, false).reportPath("reports/" + t + "/" + id + ".html").hostname("worker-" + task % 7)
        .inputFiles(List.of(new InputFile("a.parquet", "data/t_" + (task + TASKS - 1) % TASKS + "/a.parquet"),
            new InputFile("b.parquet", "data/t_" + (task + TASKS - 1) % TASKS + "/b.parquet")))
        .outputFiles(List.of(new OutputFile("data/" + t + "/a.parquet", "parquet", ""),
            new OutputFile("data/" + t + "/b.parquet", "parquet", ""),
            new OutputFile("logs/" + t + "/" + id + ".log", "log", "")))
        .build();
  }

  @Test
  void sixteenWritersWithRetries_storeEveryRunExactlyOnce() throws Exception {
    List<List<Execution>> own = new ArrayList<>();
    List<List<Execution>> shared = new ArrayList<>();
    long micros = 1_733_000_000_000_000L;
    for (int w = 0; w < WRITERS; w++) {
      List<Execution> mine = new ArrayList<>();
      for (int i = 0; i < RUNS_PER_WRITER; i++) {
        mine.add(run((w * RUNS_PER_WRITER + i) % TASKS, micros++));
      }
      own.add(mine);
      List<Execution> contested = new ArrayList<>();
      for (int i = 0; i < SHARED_PER_WRITER; i++) {
        contested.add(run(i % TASKS, micros++));
      }
      shared.add(contested);
    }
    Map<String, AtomicInteger> stored = new ConcurrentHashMap<>();
    AtomicInteger retries = new AtomicInteger();
    AtomicLong calls = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int me = w;
      done.add(writers.submit(() -> {
        start.await();
        // Writer w races writer w+1 for writer w's shared runs, interleaved with its own.
        List<Execution> work = new ArrayList<>(own.get(me));
        List<Execution> racing = new ArrayList<>(shared.get(me));
        racing.addAll(shared.get((me + WRITERS - 1) % WRITERS));
        for (int i = 0; i < racing.size(); i++) {
          work.add(Math.min(work.size(), i * 10), racing.get(i));
        }
        for (int i = 0; i < work.size(); i++) {
          Execution run = work.get(i);
          RecordOutcome first = runs.record(run, true, true);
          calls.incrementAndGet();
          assertEquals(run, first.execution());
          if (!first.alreadyRecorded()) {
            stored.computeIfAbsent(run.runId(), k -> new AtomicInteger()).incrementAndGet();
          }
          if (i % 5 == 0) {
            // The answer was lost: the client sends the same run again.
            RecordOutcome again = runs.record(run, true, true);
            calls.incrementAndGet();
            retries.incrementAndGet();
            assertTrue(again.alreadyRecorded(), "a retry is answered with the stored run");
            assertEquals(run, again.execution());
          }
        }
        return null;
      }));
    }
    long t0 = System.nanoTime();
    start.countDown();
    for (Future<?> f : done) {
      f.get(5, TimeUnit.MINUTES);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    writers.shutdown();

    int expected = WRITERS * (RUNS_PER_WRITER + SHARED_PER_WRITER);
    assertEquals(expected, stored.size(), "every run was stored by some writer");
    assertTrue(stored.values().stream().allMatch(n -> n.get() == 1), "no run was stored twice");
    assertEquals(List.of(expected + "|" + expected), query("SELECT count(*), count(DISTINCT run_id) FROM runs"));
    assertEquals(List.of(Integer.toString(expected)), query("SELECT sum(run_count) FROM tasks"));
    assertEquals(List.of(), query("SELECT t.task_id FROM tasks t LEFT JOIN (SELECT task_id, count(*) n FROM runs"
        + " GROUP BY task_id) r USING (task_id) WHERE r.n IS DISTINCT FROM t.run_count"), "every counter is exact");
    assertEquals(List.of(expected + "|" + 2 * expected + "|" + 3 * expected), query("SELECT (SELECT count(*) FROM"
        + " changes WHERE kind = 'R'), (SELECT count(*) FROM run_inputs), (SELECT count(*) FROM run_outputs)"));

    long bytes = Long.parseLong(query("SELECT sum(pg_total_relation_size(t)) FROM unnest(ARRAY['runs', 'run_inputs',"
        + " 'run_outputs', 'tasks', 'changes']::regclass[]) t").get(0));
    System.out.printf("PostgreSQL store: %d writers, %d record calls (%d retries, %d contested ids) in %.2f s ="
        + " %.0f calls/s, %.0f new runs/s; %d runs take %,d bytes = %,d B/run (tables, indexes, change rows)%n",
        WRITERS, calls.get(), retries.get(), WRITERS * SHARED_PER_WRITER, seconds, calls.get() / seconds,
        expected / seconds, expected, bytes, bytes / expected);
  }

  private static List<String> query(String sql) throws SQLException {
    return SharedPostgres.sql(pool, sql);
  }
}
