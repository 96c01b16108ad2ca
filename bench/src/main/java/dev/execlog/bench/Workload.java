package dev.execlog.bench;

import dev.execlog.client.ExecLogClientException;
import dev.execlog.client.ExecutionLogClient;
import dev.execlog.client.model.CleanupResult;
import dev.execlog.client.model.ExportResult;
import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.ImportResult;
import dev.execlog.client.model.NewRun;
import dev.execlog.client.model.Page;
import dev.execlog.client.model.Run;
import dev.execlog.client.model.ValidationReport;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The benchmark's operations and the loop that drives them from concurrent clients. */
final class Workload {

  /** Operations on one run or task, measured per call from one or many clients. */
  static final List<String> POINT_OPS = List.of("record", "get", "history", "latest", "producer", "list");
  /** Operations over the whole log, measured one call at a time. */
  static final List<String> WHOLE_OPS = List.of("validate", "cleanup", "export_json", "export_csv", "import");
  static final List<String> ALL_OPS = List.of("get", "history", "latest", "producer", "list",
      "validate", "cleanup", "export_json", "export_csv", "record", "import");

  /** Per-client state a call may keep between calls (the list op walks page tokens). */
  static final class ClientState {
    final SplittableRandom rnd;
    String pageToken = "";
    long pagesSinceStart;
    /** The run the next record call sends, built before the clock starts. */
    NewRun nextRun;
    ClientState(long seed) {
      this.rnd = new SplittableRandom(seed);
    }
  }

  /** One call; returns a short note for the report (or null). */
  @FunctionalInterface
  interface Call {
    String run(ExecutionLogClient client, ClientState state) throws Exception;
  }

  private final List<String> runIds;
  private final List<String> outputPaths;
  private final List<String> taskIds = LogGenerator.taskIds();
  private final List<Path> importFiles;
  private int nextImport;
  /** Run ids acknowledged by record calls. */
  final AtomicLong recorded = new AtomicLong();

  Workload(LogGenerator.Scan scan, List<Path> importFiles) {
    this.runIds = scan.sampleRunIds;
    this.outputPaths = scan.sampleOutputPaths;
    this.importFiles = importFiles;
  }

  /** A realistic new run: a generated run's shape, a fresh UUID, the server's clock. */
  static NewRun newRun(SplittableRandom rnd) {
    LogGenerator.GenRun[] holder = new LogGenerator.GenRun[1];
    new LogGenerator(1, rnd.nextLong(), Instant.now(), 0).forEachRun(r -> holder[0] = r);
    LogGenerator.GenRun g = holder[0];
    NewRun.Builder b = NewRun.builder(g.taskId(), g.taskType()).runId(LogGenerator.randomUuid(rnd))
        .success(g.success()).seconds(g.seconds()).reportPath(g.reportPath()).hostname(g.hostname());
    for (String[] in : g.inputs()) {
      b.input(in[0], in[1]);
    }
    for (String[] out : g.outputs()) {
      b.output(out[0], out[1], out[2]);
    }
    return b.build();
  }

  Call call(String op) {
    return switch (op) {
      case "record" -> (c, s) -> {
        c.record(s.nextRun);
        recorded.incrementAndGet();
        return null;
      };
      case "info" -> (c, s) -> {
        c.info();
        return null;
      };
      case "get" -> (c, s) -> {
        c.get(runIds.get(s.rnd.nextInt(runIds.size())));
        return null;
      };
      case "history" -> (c, s) -> {
        Page<Run> page = c.listExecutions(HistoryQuery.task(taskIds.get(s.rnd.nextInt(taskIds.size()))), 10, "");
        return page.items().size() == 10 ? null : "short page: " + page.items().size();
      };
      case "latest" -> (c, s) -> {
        c.latest(taskIds.get(s.rnd.nextInt(taskIds.size())), false)
            .orElseThrow(() -> new IllegalStateException("no latest run"));
        return null;
      };
      case "producer" -> (c, s) -> {
        c.producer(outputPaths.get(s.rnd.nextInt(outputPaths.size())))
            .orElseThrow(() -> new IllegalStateException("no producer"));
        return null;
      };
      case "list" -> (c, s) -> {
        // Walks the whole log a page of 1000 at a time, newest first, from where the last call stopped.
        Page<Run> page = c.listExecutions(HistoryQuery.all(), 1000, s.pageToken);
        s.pageToken = page.nextPageToken();
        s.pagesSinceStart++;
        return page.items().size() == 1000 || s.pageToken.isEmpty() ? null : "short page: " + page.items().size();
      };
      case "validate" -> (c, s) -> {
        StageTimer timer = new StageTimer();
        ValidationReport r = c.validate(timer);
        return "checked=" + r.checkedCount() + " valid=" + r.valid() + " problems=" + r.problems().size()
            + " " + timer.summary();
      };
      case "cleanup" -> (c, s) -> {
        StageTimer timer = new StageTimer();
        CleanupResult r = c.cleanup(null, null, true, timer);
        return "dry run, would remove " + r.removedCount() + " " + timer.summary();
      };
      case "export_json", "export_csv" -> (c, s) -> {
        CountingSink sink = new CountingSink();
        StageTimer timer = new StageTimer();
        ExportResult r = c.export(op.equals("export_csv") ? ExecutionLogClient.Format.CSV : ExecutionLogClient.Format.JSON,
            null, sink, timer);
        return "runs=" + r.executionCount() + " bytes=" + sink.bytes + " " + timer.summary();
      };
      case "import" -> (c, s) -> {
        if (importFiles.isEmpty()) {
          throw new IllegalStateException("no import file");
        }
        Path file = importFiles.get(nextImport++ % importFiles.size());
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
          StageTimer timer = new StageTimer();
          ImportResult r = c.importLog(in, false, false, timer);
          return "merged: imported=" + r.importedCount() + " skipped=" + r.skippedCount()
              + " total=" + r.executionCount() + " " + timer.summary();
        }
      };
      default -> throw new IllegalArgumentException("unknown operation " + op);
    };
  }

  /** Counts and discards what an export streams. */
  static final class CountingSink extends OutputStream {
    long bytes;
    @Override public void write(int b) { bytes++; }
    @Override public void write(byte[] b, int off, int len) { bytes += len; }
  }

  /**
   * Runs {@code op} from {@code clients} threads, each on its own connection, until {@code count}
   * calls in all are done or, when {@code durationMs > 0}, until that much time has passed (and at
   * most {@code maxCount} calls). Latency is measured around each call; throughput is calls over
   * the wall time of the whole phase.
   */
  OpResult run(String op, String phase, Clients pool, int clients, long count, long durationMs, long maxCount,
               long seed) throws InterruptedException {
    return run(op, phase, pool, 0, clients, count, durationMs, maxCount, seed, new AtomicBoolean());
  }

  /**
   * {@link #run(String, String, Clients, int, long, long, long, long)} on the pool's clients from
   * {@code firstClient} on, stopping early once {@code stop} is set (a load kept up behind another
   * measurement).
   */
  OpResult run(String op, String phase, Clients pool, int firstClient, int clients, long count, long durationMs,
               long maxCount, long seed, AtomicBoolean stop) throws InterruptedException {
    Call call = call(op);
    boolean timed = durationMs > 0;
    long limit = timed ? maxCount : count;
    long[][] latencies = new long[clients][];
    int[] done = new int[clients];
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    AtomicReference<String> lastNote = new AtomicReference<>();
    AtomicLong issued = new AtomicLong();
    CountDownLatch ready = new CountDownLatch(clients);
    CountDownLatch go = new CountDownLatch(1);
    long[] window = new long[2];
    Thread[] threads = new Thread[clients];
    for (int t = 0; t < clients; t++) {
      final int id = t;
      ExecutionLogClient client = pool.get(firstClient + t);
      threads[t] = new Thread(() -> {
        ClientState state = new ClientState(seed * 31 + id);
        long[] lat = new long[(int) Math.min(limit / clients + 16, 1 << 16)];
        int n = 0;
        ready.countDown();
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        long end = window[0] + durationMs * 1_000_000L;
        while (!stop.get() && issued.getAndIncrement() < limit && (!timed || System.nanoTime() < end)) {
          if (op.equals("record")) {
            state.nextRun = newRun(state.rnd);
          }
          long t0 = System.nanoTime();
          try {
            String note = call.run(client, state);
            long dt = System.nanoTime() - t0;
            if (n == lat.length) {
              lat = Arrays.copyOf(lat, lat.length * 2);
            }
            lat[n++] = dt;
            if (note != null) {
              lastNote.set(note);
            }
          } catch (Exception | LinkageError e) {
            // LinkageError too: a jar replaced under a running JVM must show up as errors, not as
            // a client thread that silently stops.
            errors.incrementAndGet();
            firstError.compareAndSet(null, describe(e));
          }
        }
        latencies[id] = lat;
        done[id] = n;
      }, "bench-" + op + "-" + t);
      threads[t].setDaemon(true);
      threads[t].start();
    }
    ready.await();
    window[0] = System.nanoTime();
    go.countDown();
    for (Thread th : threads) {
      th.join();
    }
    double seconds = (System.nanoTime() - window[0]) / 1e9;
    int total = 0;
    for (int d : done) {
      total += d;
    }
    long[] all = new long[total];
    int at = 0;
    for (int t = 0; t < clients; t++) {
      if (latencies[t] != null) {
        System.arraycopy(latencies[t], 0, all, at, done[t]);
        at += done[t];
      }
    }
    return OpResult.of(op, phase, clients, all, at, errors.get(), seconds, lastNote.get(), firstError.get());
  }

  static String describe(Throwable e) {
    if (e instanceof ExecLogClientException x) {
      return x.code() + ": " + x.getMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
