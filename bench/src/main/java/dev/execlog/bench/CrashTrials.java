package dev.execlog.bench;

import dev.execlog.client.ExecLogClientException;
import dev.execlog.client.ExecutionLogClient;
import dev.execlog.client.ProgressListener;
import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.NewRun;
import dev.execlog.client.model.Page;
import dev.execlog.client.model.Run;
import dev.execlog.client.model.ValidationReport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Crash mode with {@code --crash-workload record} (the mixed workload is {@link MixedCrashTrials}):
 * writers record runs concurrently, the server is SIGKILLed at a random moment, then
 * restarted on the same log; every run whose record call was acknowledged must be there (checked
 * by listing every run, and by GetExecution on a sample), the log must load, hold no duplicate
 * and validate. Acknowledged runs accumulate over the trials, so each restart re-checks all
 * earlier ones too. A last clean stop (SIGTERM) and restart checks the fold as well.
 *
 * <p>Odd trials use the server's default fold interval, even ones a 20 ms interval, so kills also
 * land while the journal is being folded into the log file.
 */
final class CrashTrials {

  private final BenchMain opts;
  private final Path jar;
  private final Path tmp;
  private final PrintStream out;
  private final PrintStream err;

  CrashTrials(BenchMain opts, Path jar, Path tmp) {
    this.opts = opts;
    this.jar = jar;
    this.tmp = tmp;
    this.out = opts.out();
    this.err = opts.err();
  }

  int run() throws Exception {
    Path root = tmp.resolve("crash-root");
    Path log = root.resolve("configs").resolve("execution_log.json");
    Files.createDirectories(log.getParent());
    BenchMain.generator(opts.crashRuns, opts.seed).write(log);
    Set<String> acked = ConcurrentHashMap.newKeySet();
    List<String> jvm = BenchMain.splitOpts(opts.jvmOpts);
    SplittableRandom rnd = new SplittableRandom(opts.seed ^ System.nanoTime());
    int passed = 0;
    int failed = 0;
    String load = BenchMain.loadAverage();
    ServerProcess server = ServerProcess.start(jar, root, jvm, args(1), tmp, "crash", opts.startupTimeoutSeconds * 1000);
    try {
      for (int trial = 1; trial <= opts.crashTrials; trial++) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("op", "crash_trial");
        row.put("trial", trial);
        row.put("fold_interval", args(trial).isEmpty() ? "default" : "20ms");
        long killAfter = 100 + rnd.nextLong(Math.max(1, opts.crashMaxMs - 100));
        row.put("kill_after_ms", killAfter);
        Set<String> sent = ConcurrentHashMap.newKeySet();
        int before = acked.size();
        writeThenKill(server, killAfter, acked, sent);
        row.put("acked", acked.size() - before);
        row.put("acked_total", acked.size());
        String failure = null;
        try {
          server = ServerProcess.start(jar, root, jvm, args(trial + 1), tmp, "crash",
              opts.startupTimeoutSeconds * 1000);
          row.put("restart_ms", BenchMain.round(server.startupMs(), 1));
          failure = verify(server, acked, sent, row);
        } catch (Exception e) {
          failure = "the log did not load after the kill: " + e.getMessage();
          server = null;
        }
        row.put("result", failure == null ? "PASS" : "FAIL: " + failure);
        if (failure == null) {
          passed++;
        } else {
          failed++;
        }
        print(row);
        if (server == null) {
          break;
        }
      }
      if (server != null) {
        // A clean stop folds the journal into the file: check the file alone holds every run.
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("op", "crash_final_clean_restart");
        row.put("shutdown_ms", BenchMain.round(server.stop(600_000), 1));
        server = ServerProcess.start(jar, root, jvm, List.of(), tmp, "crash", opts.startupTimeoutSeconds * 1000);
        row.put("restart_ms", BenchMain.round(server.startupMs(), 1));
        String failure = verify(server, acked, Set.of(), row);
        row.put("result", failure == null ? "PASS" : "FAIL: " + failure);
        print(row);
        if (failure != null) {
          failed++;
        }
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("op", "crash_summary");
    summary.put("trials", opts.crashTrials);
    summary.put("passed", passed);
    summary.put("failed", failed);
    summary.put("acked_runs_checked", acked.size());
    summary.put("load_before", load);
    summary.put("load_after", BenchMain.loadAverage());
    print(summary);
    if (failed > 0) {
      err.println("execlog-bench: server output of the last start: " + tmp.resolve("crash.server.log")
          + (opts.keep ? "" : " (use --keep to keep it)"));
    }
    return failed == 0 ? 0 : 4;
  }

  private List<String> args(int trial) {
    List<String> a = new ArrayList<>(opts.serverArgs);
    if (trial % 2 == 0) {
      a.add("--fold-interval-ms=20");
    }
    return a;
  }

  private void writeThenKill(ServerProcess server, long killAfterMs, Set<String> acked, Set<String> sent)
      throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    try (Clients pool = new Clients(server.port(), opts.crashClients, Duration.ofSeconds(10))) {
      List<Thread> writers = new ArrayList<>();
      for (int i = 0; i < opts.crashClients; i++) {
        ExecutionLogClient client = pool.get(i);
        SplittableRandom rnd = new SplittableRandom(opts.seed * 131 + i + System.nanoTime());
        Thread t = new Thread(() -> {
          long deadline = System.nanoTime() + (killAfterMs + 15_000) * 1_000_000L;
          for (int n = 0; n < 2_000_000 && !stop.get() && System.nanoTime() < deadline; n++) {
            NewRun run = Workload.newRun(rnd);
            sent.add(run.runId());
            try {
              client.record(run);
              acked.add(run.runId());
            } catch (ExecLogClientException e) {
              return; // the server is gone
            } catch (RuntimeException e) {
              return;
            }
          }
        }, "crash-writer-" + i);
        t.setDaemon(true);
        t.start();
        writers.add(t);
      }
      Thread.sleep(killAfterMs);
      server.kill();
      stop.set(true);
      for (Thread t : writers) {
        t.join(30_000);
      }
    }
  }

  /** Returns null when every acknowledged run is there and the log is sound, else what is wrong. */
  private String verify(ServerProcess server, Set<String> acked, Set<String> sent, Map<String, Object> row) {
    try (Clients pool = new Clients(server.port(), 1, Duration.ofSeconds(60))) {
      ExecutionLogClient c = pool.get(0);
      Set<String> present = new HashSet<>();
      long listed = 0;
      String token = "";
      do {
        Page<Run> page = c.listExecutions(HistoryQuery.all(), 1000, token);
        for (Run r : page.items()) {
          present.add(r.runId());
          listed++;
        }
        token = page.nextPageToken();
      } while (!token.isEmpty());
      long stored = c.info().executionCount();
      List<String> missing = new ArrayList<>();
      for (String id : acked) {
        if (!present.contains(id)) {
          missing.add(id);
        }
      }
      // GetExecution on a sample of the acknowledged runs too.
      int getMissing = 0;
      int sample = 0;
      for (String id : acked) {
        if (sample++ >= 300) {
          break;
        }
        try {
          c.get(id);
        } catch (ExecLogClientException e) {
          getMissing++;
        }
      }
      long inFlight = sent.stream().filter(id -> !acked.contains(id)).count();
      long inFlightKept = sent.stream().filter(id -> !acked.contains(id) && present.contains(id)).count();
      ValidationReport v = c.validate(ProgressListener.NONE);
      row.put("runs_after_restart", stored);
      row.put("missing_acked", missing.size());
      row.put("in_flight_unacked", inFlight);
      row.put("in_flight_kept", inFlightKept);
      row.put("valid", v.valid());
      List<String> problems = new ArrayList<>();
      if (!missing.isEmpty()) {
        problems.add(missing.size() + " acknowledged runs missing, e.g. " + missing.get(0));
      }
      if (getMissing > 0) {
        problems.add(getMissing + " acknowledged runs not found by GetExecution");
      }
      if (listed != present.size()) {
        problems.add((listed - present.size()) + " duplicate run ids in the listing");
      }
      if (stored != listed) {
        problems.add("GetLogInfo says " + stored + " runs, the listing has " + listed);
      }
      if (!v.valid()) {
        problems.add("validate found " + v.problems().size() + " problems, first: "
            + (v.problems().isEmpty() ? "?" : v.problems().get(0)));
      }
      return problems.isEmpty() ? null : String.join("; ", problems);
    } catch (RuntimeException e) {
      return "verification failed: " + Workload.describe(e);
    }
  }

  private void print(Map<String, Object> row) {
    print(opts, row);
  }

  /** One {@code key=value} line (or one JSON object with {@code --json}) on stdout. */
  static void print(BenchMain opts, Map<String, Object> row) {
    PrintStream out = opts.out();
    if (opts.json) {
      out.println(Json.write(row));
    } else {
      StringBuilder b = new StringBuilder();
      row.forEach((k, v) -> b.append(b.length() == 0 ? "" : "  ").append(k).append('=').append(v));
      out.println(b);
    }
    out.flush();
  }
}
