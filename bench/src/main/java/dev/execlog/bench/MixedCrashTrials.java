package dev.execlog.bench;

import dev.execlog.bench.CrashModel.Entry;
import dev.execlog.bench.CrashModel.Kind;
import dev.execlog.client.ExecLogClientException;
import dev.execlog.client.ExecutionLogClient;
import dev.execlog.client.ProgressListener;
import dev.execlog.client.model.CleanupResult;
import dev.execlog.client.model.CleanupRule;
import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.ImportResult;
import dev.execlog.client.model.ImportSettings;
import dev.execlog.client.model.InputFile;
import dev.execlog.client.model.NewRun;
import dev.execlog.client.model.OutputFile;
import dev.execlog.client.model.Page;
import dev.execlog.client.model.Run;
import dev.execlog.client.model.RunUpdate;
import dev.execlog.client.model.ValidationReport;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mixed crash mode: writers record, update, delete, track files, clean up and import at random
 * against a real server; the server is SIGKILLed at a random moment and restarted on the same log.
 * A {@link CrashModel} holds what every acknowledged call left; after each restart the whole log
 * (every page of ListExecutions, GetExecution on a sample, each writer's task history, ValidateLog)
 * must match it: nothing acknowledged lost, nothing deleted back, nothing unknown, no duplicate.
 *
 * <p>A call in flight when the kill lands is uncertain: after the restart either outcome is
 * accepted for what it touched, and what the server shows becomes the model. But an uncertain
 * update must be all of its fields or none, an uncertain import all of its runs or none, and an
 * uncertain cleanup all of the old runs it had to remove or none.
 *
 * <p>Cleanup removes a known set: old runs are recorded (or imported) with a time 400 to 900 days back,
 * everything else is at most 90 days old, and cleanup runs with a 365-day age and 0 runs kept per
 * task under the library's rule, so exactly the old runs go; one cleanup at a time.
 *
 * <p>Every {@code --crash-clean-every} trials, and after the last, the server is stopped cleanly
 * (SIGTERM, under load except the last time) and the log file itself, read with Jackson, must hold
 * exactly the acknowledged runs with their acknowledged content.
 */
final class MixedCrashTrials {

  static final int CLEANUP_AGE_DAYS = 365;
  /**
   * The server's JVM options unless {@code --jvm-opts} is given: the mode restarts the server
   * hundreds of times, so start-up and warm-up matter more than peak speed here.
   */
  static final String FAST_START_JVM = "-Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
  /** Tracking goes to a new run once the newest lists this many files of a kind. */
  private static final int MAX_TRACKED = 40;
  /** Owned runs a writer may hold beyond its share of the starting log before it deletes instead of adding. */
  private static final int HEADROOM = 100;

  private final BenchMain opts;
  private final Path jar;
  private final Path tmp;
  private final Path log;
  private final PrintStream err;
  private final CrashModel model = new CrashModel();
  private final Writer[] writers;
  /** Every run id ever sent with an old time: the only ones cleanup may remove. */
  private final Set<String> oldIds = ConcurrentHashMap.newKeySet();
  private final AtomicLong seq = new AtomicLong();
  private final SplittableRandom rnd;
  private volatile boolean stopping;
  private volatile Semaphore cleanupSlot = new Semaphore(1);
  private final Totals totals = new Totals();
  /** The fold interval of the running server. */
  private String foldInterval = "default";

  MixedCrashTrials(BenchMain opts, Path jar, Path tmp) {
    this.opts = opts;
    this.jar = jar;
    this.tmp = tmp;
    this.log = tmp.resolve("crash-root").resolve("configs").resolve("execution_log.json");
    this.err = opts.err();
    this.rnd = new SplittableRandom(opts.seed ^ System.nanoTime());
    this.writers = new Writer[opts.crashClients];
    for (int i = 0; i < writers.length; i++) {
      writers[i] = new Writer(i, rnd.split());
    }
  }

  // ------------------------------------------------------------------ the trials

  int run() throws Exception {
    long t0 = System.nanoTime();
    Files.createDirectories(log.getParent());
    BenchMain.generator(opts.crashRuns, opts.seed).write(log);
    List<String> base = BenchMain.splitOpts(opts.given("--jvm-opts") ? opts.jvmOpts : FAST_START_JVM);
    String load = BenchMain.loadAverage();
    int passed = 0;
    int failed = 0;
    int cleanStops = 0;
    int cleanFailed = 0;
    // A first start adopts the starting log; its clean stop writes a class-data archive of the
    // server's classes, which every restart then maps instead of loading each class again.
    Path archive = tmp.resolve("crash-server.jsa");
    List<String> training = new ArrayList<>(base);
    training.add("-XX:ArchiveClassesAtExit=" + archive);
    ServerProcess first = start(training, 1);
    try {
      adoptStartingLog(first);
    } finally {
      first.stop(600_000);
    }
    List<String> jvm = new ArrayList<>(base);
    if (Files.isRegularFile(archive)) {
      jvm.add("-XX:SharedArchiveFile=" + archive);
    }
    err.println("execlog-bench: crash mode: server JVM " + String.join(" ", jvm));
    ServerProcess server = start(jvm, 1);
    try {
      for (int trial = 1; trial <= opts.crashTrials && server != null; trial++) {
        Round round = round(server, trial, false, jvm);
        server = round.server;
        if (round.passed) {
          passed++;
        } else {
          failed++;
        }
        if (server != null && opts.crashCleanEvery > 0 && trial % opts.crashCleanEvery == 0
            && trial < opts.crashTrials) {
          round = round(server, trial, true, jvm);
          server = round.server;
          cleanStops++;
          if (!round.passed) {
            cleanFailed++;
          }
        }
      }
      if (server != null) {
        Round last = finalStop(server, jvm);
        server = last.server;
        cleanStops++;
        if (!last.passed) {
          cleanFailed++;
        }
      } else {
        cleanFailed++; // a restart failed: no final check
      }
    } finally {
      if (server != null) {
        server.close();
      }
    }
    long present = model.entries().stream().filter(e -> !e.gone()).count();
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("op", "crash_summary");
    s.put("workload", "mixed");
    s.put("trials", opts.crashTrials);
    s.put("passed", passed);
    s.put("failed", failed);
    s.put("clean_stops", cleanStops);
    s.put("clean_stops_failed", cleanFailed);
    totals.put(s);
    s.put("runs_in_model", present);
    s.put("ids_checked", model.entries().size());
    s.put("seconds", BenchMain.round((System.nanoTime() - t0) / 1e9, 1));
    s.put("load_before", load);
    s.put("load_after", BenchMain.loadAverage());
    s.put("server_jvm", String.join(" ", base));
    s.put("class_data_archive", jvm.size() > base.size());
    boolean pass = failed == 0 && cleanFailed == 0 && passed == opts.crashTrials;
    s.put("result", pass ? "PASS" : "FAIL");
    CrashTrials.print(opts, s);
    if (!pass) {
      err.println("execlog-bench: server output: " + tmp.resolve("crash.server.log")
          + (opts.keep ? "" : " (use --keep to keep it)"));
    }
    return pass ? 0 : 4;
  }

  private List<String> args(int trial) {
    List<String> a = new ArrayList<>(opts.serverArgs);
    if (trial % 2 == 0) {
      a.add("--fold-interval-ms=20");
    }
    return a;
  }

  private ServerProcess start(List<String> jvm, int trial) throws IOException, InterruptedException {
    ServerProcess p = ServerProcess.start(jar, log.getParent().getParent(), jvm, args(trial), tmp, "crash",
        opts.startupTimeoutSeconds * 1000);
    foldInterval = args(trial).contains("--fold-interval-ms=20") ? "20ms" : "default";
    return p;
  }

  /** The generated log's runs are acknowledged state too, shared out among the writers. */
  private void adoptStartingLog(ServerProcess server) {
    try (Clients pool = new Clients(server.port(), 1, Duration.ofSeconds(60))) {
      CrashSnapshot snap = CrashSnapshot.list(pool.get(0));
      List<String> ids = new ArrayList<>(snap.runs().keySet());
      Collections.sort(ids);
      for (int i = 0; i < ids.size(); i++) {
        model.present(ids.get(i), i % writers.length, false, snap.runs().get(ids.get(i)), true);
      }
      int cap = ids.size() / writers.length + HEADROOM;
      for (Writer w : writers) {
        w.cap = cap;
      }
      rebuildOwnership();
    }
  }

  /** What one round found. */
  private record Round(ServerProcess server, boolean passed) {}

  /** Problems and counts of one check. */
  private static final class Tally {
    final List<String> problems = new ArrayList<>();
    long uncertain;
    long applied;
    final long[] uncertainBy = new long[Kind.values().length];
    final long[] appliedBy = new long[Kind.values().length];
    long lost;
    long resurrected;
    long unexpected;
    long partial;

    void problem(String p) {
      problems.add(p);
    }

    void uncertain(List<Pending> pendings) {
      uncertain = pendings.size();
      pendings.forEach(p -> uncertainBy[p.kind.ordinal()]++);
    }

    /** An uncertain call turned out to have taken effect. */
    void applied(Kind kind) {
      applied++;
      appliedBy[kind.ordinal()]++;
    }

    void put(Map<String, Object> row) {
      row.put("uncertain", uncertain);
      row.put("uncertain_applied", applied);
      row.put("lost", lost);
      row.put("resurrected", resurrected);
      row.put("unexpected", unexpected);
      row.put("partial", partial);
    }
  }

  /** Sums over all rounds. */
  private static final class Totals {
    final long[] acked = new long[Kind.values().length];
    long cleanupRemoved;
    long importedRuns;
    long uncertain;
    long applied;
    final long[] uncertainBy = new long[Kind.values().length];
    final long[] appliedBy = new long[Kind.values().length];
    long lost;
    long resurrected;
    long unexpected;
    long partial;

    void add(Tally t) {
      uncertain += t.uncertain;
      applied += t.applied;
      for (int k = 0; k < uncertainBy.length; k++) {
        uncertainBy[k] += t.uncertainBy[k];
        appliedBy[k] += t.appliedBy[k];
      }
      lost += t.lost;
      resurrected += t.resurrected;
      unexpected += t.unexpected;
      partial += t.partial;
    }

    void put(Map<String, Object> row) {
      putAcked(row, acked, cleanupRemoved, importedRuns);
      row.put("uncertain", uncertain);
      row.put("uncertain_applied", applied);
      // Per kind: calls in flight at a kill or stop / those that took effect.
      StringBuilder by = new StringBuilder();
      for (Kind k : Kind.values()) {
        by.append(by.length() == 0 ? "" : ",").append(k.name().toLowerCase(Locale.ROOT)).append(':')
            .append(uncertainBy[k.ordinal()]).append('/').append(appliedBy[k.ordinal()]);
      }
      row.put("uncertain_by_kind", by.toString());
      row.put("lost", lost);
      row.put("resurrected", resurrected);
      row.put("unexpected", unexpected);
      row.put("partial", partial);
    }
  }

  private static void putAcked(Map<String, Object> row, long[] acked, long cleanupRemoved, long importedRuns) {
    row.put("acked_records", acked[Kind.RECORD.ordinal()]);
    row.put("acked_updates", acked[Kind.UPDATE.ordinal()]);
    row.put("acked_deletes", acked[Kind.DELETE.ordinal()]);
    row.put("acked_tracks", acked[Kind.TRACK.ordinal()]);
    row.put("acked_cleanups", acked[Kind.CLEANUP.ordinal()]);
    row.put("cleanup_removed", cleanupRemoved);
    row.put("acked_imports", acked[Kind.IMPORT.ordinal()]);
    row.put("imported_runs", importedRuns);
  }

  /**
   * One trial: writers run a random mix until a random moment, then the server is SIGKILLed (or,
   * for a clean-stop round, stopped with SIGTERM and its file checked), restarted, and checked.
   */
  private Round round(ServerProcess server, int trial, boolean clean, List<String> jvm) {
    long t0 = System.nanoTime();
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("op", clean ? "crash_clean_stop" : "crash_trial");
    row.put("workload", "mixed");
    row.put("trial", trial);
    row.put("fold_interval", foldInterval);
    long after = 100 + rnd.nextLong(Math.max(1, opts.crashMaxMs - 100));
    row.put(clean ? "stop_after_ms" : "kill_after_ms", after);
    Tally tally = new Tally();
    List<Pending> pendings;
    double stopMs;
    long w0 = System.nanoTime();
    try {
      pendings = new ArrayList<>();
      stopMs = writeThenStop(server, after, clean, pendings, tally);
      row.put("write_ms", BenchMain.round((System.nanoTime() - w0) / 1e6, 0));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    long[] acked = new long[Kind.values().length];
    long removed = 0;
    long imported = 0;
    for (Writer w : writers) {
      for (int k = 0; k < acked.length; k++) {
        acked[k] += w.acked[k];
        totals.acked[k] += w.acked[k];
      }
      removed += w.cleanupRemoved;
      imported += w.importedRuns;
    }
    totals.cleanupRemoved += removed;
    totals.importedRuns += imported;
    putAcked(row, acked, removed, imported);
    tally.uncertain(pendings);
    if (clean) {
      row.put("shutdown_ms", BenchMain.round(stopMs, 1));
      try {
        CrashSnapshot file = CrashSnapshot.readFile(log);
        row.put("file_runs", file.count());
        reconcile(file, pendings, tally);
      } catch (IOException | RuntimeException e) {
        tally.problem("cannot read the log file after a clean stop: " + e);
      }
      pendings = List.of();
    }
    ServerProcess next;
    try {
      next = start(jvm, trial + 1);
      row.put("restart_ms", BenchMain.round(next.startupMs(), 1));
      long v0 = System.nanoTime();
      verify(next, pendings, tally, row);
      row.put("verify_ms", BenchMain.round((System.nanoTime() - v0) / 1e6, 0));
    } catch (Exception e) {
      tally.problem("the log did not load after the " + (clean ? "stop" : "kill") + ": " + e.getMessage());
      next = null;
    }
    rebuildOwnership();
    totals.add(tally);
    tally.put(row);
    row.put("trial_ms", BenchMain.round((System.nanoTime() - t0) / 1e6, 0));
    row.put("result", tally.problems.isEmpty() ? "PASS" : "FAIL: " + String.join("; ", first(tally.problems, 5)));
    CrashTrials.print(opts, row);
    return new Round(next, tally.problems.isEmpty());
  }

  /** After the last trial, with no load: SIGTERM, the file must be the model exactly; then restart and check. */
  private Round finalStop(ServerProcess server, List<String> jvm) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("op", "crash_final_clean_stop");
    Tally tally = new Tally();
    ServerProcess next = null;
    try {
      row.put("shutdown_ms", BenchMain.round(server.stop(600_000), 1));
      CrashSnapshot file = CrashSnapshot.readFile(log);
      row.put("file_runs", file.count());
      reconcile(file, List.of(), tally);
      next = start(jvm, 1);
      row.put("restart_ms", BenchMain.round(next.startupMs(), 1));
      verify(next, List.of(), tally, row);
    } catch (Exception e) {
      tally.problem("final clean stop: " + e);
    }
    tally.put(row);
    totals.add(tally);
    row.put("result", tally.problems.isEmpty() ? "PASS" : "FAIL: " + String.join("; ", first(tally.problems, 5)));
    CrashTrials.print(opts, row);
    return new Round(next, tally.problems.isEmpty());
  }

  private static <T> List<T> first(List<T> list, int n) {
    return list.size() <= n ? list : list.subList(0, n);
  }

  // ------------------------------------------------------------------ the writers

  /** One writer's state, kept across trials. Its collections are touched by its own thread only while it runs. */
  private final class Writer {
    final int index;
    final String[] tasks;
    final String importTask;
    final SplittableRandom rnd;
    final IdBag live = new IdBag();
    int cap;
    final long[] acked = new long[Kind.values().length];
    long cleanupRemoved;
    long importedRuns;
    volatile Pending pending;
    String error;
    final List<String> problems = new ArrayList<>();

    Writer(int index, SplittableRandom rnd) {
      this.index = index;
      this.rnd = rnd;
      this.tasks = new String[] {"crash_w" + index + "_a", "crash_w" + index + "_b", "crash_w" + index + "_c"};
      this.importTask = "crash_w" + index + "_imported";
    }

    void reset() {
      Arrays.fill(acked, 0);
      cleanupRemoved = 0;
      importedRuns = 0;
      pending = null;
      error = null;
      problems.clear();
    }

    void work(ExecutionLogClient c, long deadlineNanos, AtomicBoolean stop) {
      while (!stop.get() && System.nanoTime() < deadlineNanos) {
        Pending p = plan(this);
        pending = p;
        try {
          execute(c, this, p);
          pending = null;
        } catch (RuntimeException e) {
          if (!stopping) {
            error = p.kind + " " + (p.runId == null ? "" : p.runId + " ") + Workload.describe(e);
          }
          return; // the server is gone; the call stays uncertain
        }
      }
    }
  }

  /** Runs the writers, then kills (or stops) the server after {@code afterMs}; returns the stop time in ms. */
  private double writeThenStop(ServerProcess server, long afterMs, boolean clean, List<Pending> pendings, Tally tally)
      throws InterruptedException {
    stopping = false;
    cleanupSlot = new Semaphore(1);
    for (Writer w : writers) {
      w.reset();
    }
    AtomicBoolean stop = new AtomicBoolean();
    double stopMs = 0;
    try (Clients pool = new Clients(server.port(), writers.length, Duration.ofSeconds(opts.timeoutSeconds))) {
      List<Thread> threads = new ArrayList<>();
      long deadline = System.nanoTime() + (afterMs + 15_000) * 1_000_000L;
      for (Writer w : writers) {
        ExecutionLogClient client = pool.get(w.index);
        Thread t = new Thread(() -> w.work(client, deadline, stop), "crash-writer-" + w.index);
        t.setDaemon(true);
        t.start();
        threads.add(t);
      }
      Thread.sleep(afterMs);
      stopping = true;
      if (clean) {
        stopMs = server.stop(600_000);
      } else {
        server.kill();
      }
      stop.set(true);
      for (Thread t : threads) {
        t.join(60_000);
        if (t.isAlive()) {
          tally.problem(t.getName() + " did not finish within 60 s of the " + (clean ? "stop" : "kill"));
        }
      }
    }
    for (Writer w : writers) {
      if (w.pending != null) {
        pendings.add(w.pending);
      }
      if (w.error != null) {
        tally.problem("writer " + w.index + " failed before the " + (clean ? "stop" : "kill") + ": " + w.error);
      }
      w.problems.forEach(tally::problem);
    }
    return stopMs;
  }

  /** What a call was about to do, kept until it is acknowledged; left behind by a crash, it is uncertain. */
  private static final class Pending {
    final Kind kind;
    String runId;
    /** The run before the call (update, delete, track). */
    Entry before;
    /** Record: what was sent. */
    NewRun sent;
    boolean old;
    int owner;
    /** Update: the run it should leave; the changes themselves. */
    Run after;
    RunUpdate update;
    /** Track: the task, the path, inputs or outputs. */
    String task;
    String path;
    boolean input;
    /** Cleanup: the old runs acknowledged before it started, all of which it must remove. */
    Set<String> oldBefore;
    /** Import: the runs of the file and the file. */
    List<Run> imported;
    Set<String> importedOld;
    byte[] file;

    Pending(Kind kind) {
      this.kind = kind;
    }
  }

  private Pending plan(Writer w) {
    int roll = w.rnd.nextInt(100);
    Kind k = roll < 34 ? Kind.RECORD : roll < 58 ? Kind.UPDATE : roll < 72 ? Kind.DELETE
        : roll < 88 ? Kind.TRACK : roll < 95 ? Kind.IMPORT : Kind.CLEANUP;
    if (w.live.size() > w.cap && (k == Kind.RECORD || k == Kind.IMPORT)) {
      k = Kind.DELETE;
    }
    if (w.live.size() == 0 && (k == Kind.UPDATE || k == Kind.DELETE)) {
      k = Kind.RECORD;
    }
    if (k == Kind.CLEANUP && !cleanupSlot.tryAcquire()) {
      k = w.live.size() == 0 ? Kind.RECORD : Kind.UPDATE;
    }
    switch (k) {
      case RECORD:
        return planRecord(w, w.rnd.nextInt(100) < 30, w.tasks[w.rnd.nextInt(w.tasks.length)]);
      case UPDATE:
        return planUpdate(w);
      case DELETE: {
        Pending p = new Pending(Kind.DELETE);
        p.runId = w.live.random(w.rnd);
        p.before = model.get(p.runId);
        return p;
      }
      case TRACK:
        return planTrack(w);
      case IMPORT:
        return planImport(w);
      default: {
        Pending p = new Pending(Kind.CLEANUP);
        p.oldBefore = Set.copyOf(model.liveOld());
        return p;
      }
    }
  }

  private Pending planRecord(Writer w, boolean old, String task) {
    long n = seq.incrementAndGet();
    String dir = "DATA/crash/w" + w.index + "/";
    NewRun.Builder b = NewRun.builder(old ? "crash_old_" + w.rnd.nextInt(4) : task, old ? "crash_old" : "crash")
        .success(w.rnd.nextInt(10) != 0)
        .duration(Duration.ofMillis(w.rnd.nextLong(1, 600_000)))
        .reportPath("DATA/reports/crash/w" + w.index + "/r" + n + ".json")
        .hostname("crash-host-" + w.index)
        .input("source", dir + "in_" + n + ".csv")
        .output(dir + "out_" + n + ".csv", "csv", "crash trial output")
        .extraField("bench_rev", "0");
    if (old) {
      b.recordTime(oldTime(w.rnd));
    }
    Pending p = new Pending(Kind.RECORD);
    p.sent = b.build();
    p.runId = p.sent.runId();
    p.old = old;
    p.owner = old ? -1 : w.index;
    if (old) {
      oldIds.add(p.runId);
    }
    return p;
  }

  /** A time well beyond the cleanup age: 400 to 900 days back. */
  private static Instant oldTime(SplittableRandom rnd) {
    return Instant.now().minus(Duration.ofDays(400 + rnd.nextInt(500))).minusMillis(rnd.nextLong(86_400_000L))
        .truncatedTo(ChronoUnit.MICROS);
  }

  private Pending planUpdate(Writer w) {
    Pending p = new Pending(Kind.UPDATE);
    p.runId = w.live.random(w.rnd);
    p.before = model.get(p.runId);
    Run b = p.before.run();
    long n = seq.incrementAndGet();
    RunUpdate u = new RunUpdate();
    boolean success = b.success();
    Duration duration = b.duration();
    boolean integer = b.integerExecutionTime();
    String report = b.reportPath();
    Map<String, String> extras = new LinkedHashMap<>(b.extraFields());
    int mask = 1 + w.rnd.nextInt(15);
    if ((mask & 1) != 0) {
      success = !success;
      u.success(success);
    }
    if ((mask & 2) != 0) {
      report = "DATA/reports/crash/w" + w.index + "/u" + n + ".json";
      u.reportPath(report);
    }
    if ((mask & 4) != 0) {
      extras.put("bench_rev", Long.toString(n));
      u.extraField("bench_rev", Long.toString(n));
    }
    if ((mask & 8) != 0) {
      if (w.rnd.nextBoolean()) {
        long s = w.rnd.nextLong(1, 100_000);
        duration = Duration.ofSeconds(s);
        integer = true;
        u.wholeSeconds(s);
      } else {
        duration = Duration.ofMillis(w.rnd.nextLong(1, 10_000_000));
        integer = false;
        u.duration(duration);
      }
    }
    p.update = u;
    p.after = new Run(b.runId(), b.taskId(), b.taskType(), b.recordTime(), success, duration, report,
        b.inputFiles(), b.outputFiles(), b.hostname(), extras, integer);
    return p;
  }

  private Pending planTrack(Writer w) {
    String task = w.tasks[w.rnd.nextInt(w.tasks.length)];
    Entry target = newest(w, task);
    boolean input = w.rnd.nextBoolean();
    if (target == null || (input ? target.run().inputFiles() : target.run().outputFiles()).size() >= MAX_TRACKED) {
      return planRecord(w, false, task);
    }
    Pending p = new Pending(Kind.TRACK);
    p.task = task;
    p.runId = target.runId();
    p.before = target;
    p.input = input;
    p.path = "DATA/crash/w" + w.index + "/tracked_" + seq.incrementAndGet() + (input ? ".csv" : ".parquet");
    return p;
  }

  /** The newest of the writer's runs of a task: the one track-inputs and track-outputs change. */
  private Entry newest(Writer w, String task) {
    Entry best = null;
    for (String id : w.live.ids()) {
      Entry e = model.get(id);
      if (e != null && !e.gone() && e.run().taskId().equals(task)
          && (best == null || e.run().recordTime().isAfter(best.run().recordTime()))) {
        best = e;
      }
    }
    return best;
  }

  /** A small log file of fresh runs, about half of them old, in the file format. */
  private Pending planImport(Writer w) {
    int n = 3 + w.rnd.nextInt(8);
    List<Run> runs = new ArrayList<>();
    Set<String> old = new HashSet<>();
    List<Map<String, Object>> executions = new ArrayList<>();
    long now = LogGenerator.toMicros(Instant.now());
    for (int i = 0; i < n; i++) {
      boolean isOld = w.rnd.nextBoolean();
      String id = UUID.randomUUID().toString();
      String task = isOld ? "crash_old_imported" : w.importTask;
      long micros = isOld ? LogGenerator.toMicros(oldTime(w.rnd)) : now - w.rnd.nextLong(1_000_000L, 3_600_000_000L);
      long ms = w.rnd.nextLong(1, 3_600_000);
      boolean success = w.rnd.nextInt(10) != 0;
      String stem = "DATA/crash/imported/" + id.substring(0, 8);
      String report = "DATA/reports/crash/imported/" + id.substring(0, 8) + ".json";
      Map<String, Object> in = new LinkedHashMap<>();
      in.put("name", "source");
      in.put("path", stem + "_in.csv");
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("path", stem + "_out.csv");
      out.put("type", "csv");
      out.put("description", "imported run output");
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("task_id", task);
      e.put("task_type", "crash_import");
      e.put("task_run_id", id);
      e.put("timestamp", LogGenerator.formatMicros(micros));
      e.put("success", success);
      e.put("execution_time", ms / 1000.0);
      e.put("report_path", report);
      e.put("input_files", List.of(in));
      e.put("output_files", List.of(out));
      e.put("hostname", "crash-import-host");
      executions.add(e);
      runs.add(new Run(id, task, "crash_import", LogGenerator.fromMicros(micros), success, Duration.ofMillis(ms),
          report, List.of(new InputFile("source", stem + "_in.csv")),
          List.of(new OutputFile(stem + "_out.csv", "csv", "imported run output")), "crash-import-host", Map.of(),
          false));
      if (isOld) {
        old.add(id);
        oldIds.add(id);
      }
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("tasks", Map.of());
    root.put("executions", executions);
    root.put("timestamp", LogGenerator.formatMicros(now));
    root.put("version", "1.0.0");
    root.put("last_modified", LogGenerator.formatMicros(now));
    Pending p = new Pending(Kind.IMPORT);
    p.owner = w.index;
    p.imported = runs;
    p.importedOld = old;
    try {
      p.file = CrashModel.JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return p;
  }

  /** Makes the call; once it is acknowledged, the model takes what it returned. */
  private void execute(ExecutionLogClient c, Writer w, Pending p) {
    switch (p.kind) {
      case RECORD -> {
        Run r = c.record(p.sent);
        if (!r.runId().equals(p.runId)) {
          w.problems.add("record of " + p.runId + " answered run " + r.runId());
        }
        model.present(r.runId(), p.owner, p.old, r, true);
        if (!p.old) {
          w.live.add(r.runId());
        }
      }
      case UPDATE -> {
        Run r = c.update(p.runId, p.update);
        List<String> d = CrashModel.diff(p.after, r, true);
        if (!d.isEmpty()) {
          w.problems.add("update of " + p.runId + " answered a run differing in " + d);
        }
        model.changed(p.runId, r);
      }
      case DELETE -> {
        c.delete(p.runId);
        model.gone(p.runId);
        w.live.remove(p.runId);
      }
      case TRACK -> {
        Run r = p.input ? c.trackInputs(p.task, List.of(p.path)) : c.trackOutputs(p.task, List.of(p.path));
        if (!r.runId().equals(p.runId)) {
          w.problems.add("tracking " + p.path + " on " + p.task + " changed run " + r.runId()
              + ", but the task's newest run is " + p.runId);
        }
        if (!lastPathIs(r, p.input, p.path)) {
          w.problems.add("tracking " + p.path + " answered run " + r.runId() + " without it");
        }
        model.changed(r.runId(), r);
      }
      case CLEANUP -> {
        CleanupResult res = c.cleanup(CLEANUP_AGE_DAYS, 0, CleanupRule.OLD_AND_BEYOND_COUNT, false,
            ProgressListener.NONE);
        Set<String> removed = new HashSet<>(res.removedRunIds());
        for (String id : res.removedRunIds()) {
          if (!oldIds.contains(id)) {
            w.problems.add("cleanup removed run " + id + ", which is younger than " + CLEANUP_AGE_DAYS + " days");
          }
          model.gone(id);
        }
        for (String id : p.oldBefore) {
          if (!removed.contains(id)) {
            w.problems.add("cleanup kept run " + id + ", older than " + CLEANUP_AGE_DAYS + " days");
          }
        }
        w.cleanupRemoved += res.removedRunIds().size();
        cleanupSlot.release();
      }
      case IMPORT -> {
        ImportResult res = c.importLog(new ByteArrayInputStream(p.file), ImportSettings.merging(),
            ProgressListener.NONE);
        if (res.importedCount() != p.imported.size()) {
          w.problems.add("import of " + p.imported.size() + " fresh runs imported " + res.importedCount());
        }
        for (Run r : p.imported) {
          boolean old = p.importedOld.contains(r.runId());
          model.present(r.runId(), old ? -1 : w.index, old, r, false);
          if (!old) {
            w.live.add(r.runId());
          }
        }
        w.importedRuns += p.imported.size();
      }
      default -> throw new IllegalStateException();
    }
    w.acked[p.kind.ordinal()]++;
  }

  private static boolean lastPathIs(Run r, boolean input, String path) {
    if (input) {
      List<InputFile> f = r.inputFiles();
      return !f.isEmpty() && f.get(f.size() - 1).path().equals(path);
    }
    List<OutputFile> f = r.outputFiles();
    return !f.isEmpty() && f.get(f.size() - 1).path().equals(path);
  }

  /** Each writer's runs, from the model. */
  private void rebuildOwnership() {
    for (Writer w : writers) {
      w.live.clear();
    }
    for (Entry e : model.entries()) {
      if (!e.gone() && e.owner() >= 0) {
        writers[e.owner()].live.add(e.runId());
      }
    }
  }

  // ------------------------------------------------------------------ checking

  /** Lists the restarted server's log, settles the uncertain calls, checks it all against the model. */
  private void verify(ServerProcess server, List<Pending> pendings, Tally tally, Map<String, Object> row) {
    try (Clients pool = new Clients(server.port(), 1, Duration.ofSeconds(60))) {
      ExecutionLogClient c = pool.get(0);
      CrashSnapshot snap = CrashSnapshot.list(c);
      long stored = c.info().executionCount();
      row.put("runs_after_restart", stored);
      if (stored != snap.count()) {
        tally.problem("GetLogInfo says " + stored + " runs, the listing has " + snap.count());
      }
      reconcile(snap, pendings, tally);
      checkReads(c, snap, tally);
      ValidationReport v = c.validate(ProgressListener.NONE);
      row.put("valid", v.valid());
      if (!v.valid()) {
        tally.problem("validate found " + v.problems().size() + " problems, first: "
            + (v.problems().isEmpty() ? "?" : v.problems().get(0)));
      }
    } catch (RuntimeException e) {
      tally.problem("verification failed: " + Workload.describe(e));
    }
  }

  /**
   * Settles the uncertain calls against what the log holds, then checks every run id the model
   * knows: held with its acknowledged content, or not held. The log's content becomes the model.
   */
  private void reconcile(CrashSnapshot snap, List<Pending> pendings, Tally tally) {
    if (snap.duplicates() > 0) {
      tally.problem(snap.duplicates() + " duplicate run ids in the " + snap.source());
    }
    boolean cleanupUncertain = pendings.stream().anyMatch(p -> p.kind == Kind.CLEANUP);
    for (Pending p : pendings) {
      if (p.kind == Kind.CLEANUP) {
        settleCleanup(p, snap, tally);
      }
    }
    for (Pending p : pendings) {
      switch (p.kind) {
        case RECORD -> settleRecord(p, snap, tally);
        case UPDATE -> settleUpdate(p, snap, tally);
        case DELETE -> settleDelete(p, snap, tally);
        case TRACK -> settleTrack(p, snap, tally);
        case IMPORT -> settleImport(p, snap, tally, cleanupUncertain);
        default -> { }
      }
    }
    // What is wrong is reported once, then taken as it is, so that later trials count only new losses.
    List<String> lost = new ArrayList<>();
    List<String> back = new ArrayList<>();
    for (Entry e : new ArrayList<>(model.entries())) {
      Run got = snap.runs().get(e.runId());
      if (e.gone()) {
        if (got != null) {
          tally.resurrected++;
          back.add(e.runId());
          model.revive(e.runId(), oldIds.contains(e.runId()), got);
        }
        continue;
      }
      if (got == null) {
        tally.lost++;
        lost.add(e.runId() + " (" + e.run().taskId() + ") is missing");
        model.gone(e.runId());
        continue;
      }
      List<String> d = CrashModel.diff(e.run(), got, !e.exact());
      if (!d.isEmpty()) {
        tally.lost++;
        lost.add(e.runId() + " differs in " + d);
      }
      if (!d.isEmpty() || !e.exact()) {
        model.changed(e.runId(), got);
      }
    }
    if (!lost.isEmpty()) {
      tally.problem(lost.size() + " acknowledged runs lost or changed in the " + snap.source() + ", e.g. "
          + first(lost, 3));
    }
    if (!back.isEmpty()) {
      tally.problem(back.size() + " removed runs back in the " + snap.source() + ", e.g. " + first(back, 3));
    }
    List<String> unknown = new ArrayList<>();
    for (String id : snap.runs().keySet()) {
      if (model.get(id) == null) {
        unknown.add(id);
      }
    }
    tally.unexpected += unknown.size();
    unknown.forEach(id -> model.revive(id, oldIds.contains(id), snap.runs().get(id)));
    if (!unknown.isEmpty()) {
      tally.problem(unknown.size() + " runs in the " + snap.source() + " that no call wrote, e.g. " + first(unknown, 3));
    }
  }

  private void settleRecord(Pending p, CrashSnapshot snap, Tally tally) {
    Run got = snap.runs().get(p.runId);
    Entry e = model.get(p.runId);
    if (got == null) {
      model.gone(p.runId);
      return;
    }
    tally.applied(Kind.RECORD);
    if (e != null && e.gone()) {
      return; // removed by an acknowledged cleanup after it was stored: the check counts it as back
    }
    NewRun n = p.sent;
    Run want = new Run(n.runId(), n.taskId(), n.taskType(), n.recordTime() != null ? n.recordTime() : got.recordTime(),
        n.success(), n.duration(), n.reportPath(), n.inputs(), n.outputs(), n.hostname(), n.extraFields(), false);
    List<String> d = CrashModel.diff(want, got, true);
    if (!d.isEmpty()) {
      tally.partial++;
      tally.problem("the record of " + p.runId + " cut short by the crash stored a run differing in " + d);
    }
    model.present(p.runId, p.owner, p.old, got, true);
  }

  private void settleUpdate(Pending p, CrashSnapshot snap, Tally tally) {
    Run got = snap.runs().get(p.runId);
    if (got == null) {
      return; // counted as lost
    }
    if (CrashModel.diff(p.before.run(), got, !p.before.exact()).isEmpty()) {
      return;
    }
    if (CrashModel.diff(p.after, got, true).isEmpty()) {
      tally.applied(Kind.UPDATE);
    } else {
      tally.partial++;
      tally.problem("the update of " + p.runId + " (" + p.update.fieldList() + ") cut short by the crash left a run"
          + " differing from both before and after: " + CrashModel.diff(p.after, got, true));
    }
    model.changed(p.runId, got);
  }

  private void settleDelete(Pending p, CrashSnapshot snap, Tally tally) {
    Run got = snap.runs().get(p.runId);
    if (got == null) {
      tally.applied(Kind.DELETE);
      model.gone(p.runId);
      return;
    }
    List<String> d = CrashModel.diff(p.before.run(), got, !p.before.exact());
    if (!d.isEmpty()) {
      tally.partial++;
      tally.problem("the delete of " + p.runId + " cut short by the crash left it changed: " + d);
      model.changed(p.runId, got);
    }
  }

  private void settleTrack(Pending p, CrashSnapshot snap, Tally tally) {
    Run got = snap.runs().get(p.runId);
    if (got == null) {
      return; // counted as lost
    }
    List<Run> elsewhere = new ArrayList<>();
    for (Run r : snap.runs().values()) {
      if (!r.runId().equals(p.runId) && lists(r, p.path)) {
        elsewhere.add(r);
      }
    }
    if (!elsewhere.isEmpty()) {
      tally.partial++;
      tally.problem("tracking " + p.path + " on " + p.task + " cut short by the crash went to run "
          + elsewhere.get(0).runId() + ", not the task's newest " + p.runId);
    }
    boolean loose = !p.before.exact();
    if (!lastPathIs(got, p.input, p.path)) {
      List<String> d = CrashModel.diff(p.before.run(), got, loose);
      if (!d.isEmpty()) {
        tally.partial++;
        tally.problem("tracking " + p.path + " cut short by the crash changed run " + p.runId + " otherwise: " + d);
        model.changed(p.runId, got);
      }
      return;
    }
    Run stripped = p.input
        ? CrashModel.withInputs(got, got.inputFiles().subList(0, got.inputFiles().size() - 1))
        : CrashModel.withOutputs(got, got.outputFiles().subList(0, got.outputFiles().size() - 1));
    List<String> d = CrashModel.diff(p.before.run(), stripped, loose);
    if (d.isEmpty()) {
      tally.applied(Kind.TRACK);
    } else {
      tally.partial++;
      tally.problem("tracking " + p.path + " cut short by the crash also changed run " + p.runId + ": " + d);
    }
    model.changed(p.runId, got);
  }

  private static boolean lists(Run r, String path) {
    for (InputFile f : r.inputFiles()) {
      if (f.path().equals(path)) {
        return true;
      }
    }
    for (OutputFile f : r.outputFiles()) {
      if (f.path().equals(path)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A cleanup cut short removed all the old runs acknowledged before it started, or none; when it
   * removed them, old runs acknowledged while it ran may be gone too.
   */
  private void settleCleanup(Pending p, CrashSnapshot snap, Tally tally) {
    long absent = p.oldBefore.stream().filter(id -> !snap.runs().containsKey(id)).count();
    if (absent != 0 && absent != p.oldBefore.size()) {
      tally.partial++;
      tally.problem("a cleanup cut short by the crash removed " + absent + " of the " + p.oldBefore.size()
          + " old runs it had to remove");
    }
    if (absent == 0 && !p.oldBefore.isEmpty()) {
      return; // it did not happen: every old run must still be there
    }
    boolean any = false;
    for (String id : new ArrayList<>(model.liveOld())) {
      if (!snap.runs().containsKey(id)) {
        model.gone(id);
        any = true;
      }
    }
    if (any) {
      tally.applied(Kind.CLEANUP);
    }
  }

  /** An import cut short: all of its runs or none (old ones an uncertain cleanup may have taken aside). */
  private void settleImport(Pending p, CrashSnapshot snap, Tally tally, boolean cleanupUncertain) {
    int evidence = 0;
    int unknown = 0;
    for (Run r : p.imported) {
      Entry e = model.get(r.runId());
      if (snap.runs().containsKey(r.runId()) || (e != null && e.gone())) {
        evidence++;
      } else if (cleanupUncertain && p.importedOld.contains(r.runId())) {
        unknown++;
      }
    }
    int n = p.imported.size();
    if (evidence > 0 && evidence + unknown != n) {
      tally.partial++;
      tally.problem("an import of " + n + " runs cut short by the crash left " + evidence + " of them");
    }
    if (evidence > 0) {
      tally.applied(Kind.IMPORT);
    }
    for (Run r : p.imported) {
      Run got = snap.runs().get(r.runId());
      boolean old = p.importedOld.contains(r.runId());
      if (got == null) {
        model.gone(r.runId());
        continue;
      }
      Entry e = model.get(r.runId());
      if (e != null && e.gone()) {
        continue; // counted as back
      }
      List<String> d = CrashModel.diff(r, got, true);
      if (!d.isEmpty()) {
        tally.partial++;
        tally.problem("run " + r.runId() + " of an import cut short by the crash differs from the file in " + d);
      }
      model.present(r.runId(), old ? -1 : p.owner, old, got, true);
    }
  }

  /** GetExecution on a sample of held and of removed runs; each writer's task history, page by page. */
  private void checkReads(ExecutionLogClient c, CrashSnapshot snap, Tally tally) {
    Random shuffle = new Random(rnd.nextLong());
    List<String> held = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    Map<String, Set<String>> byTask = new HashMap<>();
    for (Entry e : model.entries()) {
      if (e.gone()) {
        removed.add(e.runId());
      } else {
        held.add(e.runId());
        if (e.run().taskId().startsWith("crash_w")) {
          byTask.computeIfAbsent(e.run().taskId(), k -> new HashSet<>()).add(e.runId());
        }
      }
    }
    Collections.shuffle(held, shuffle);
    Collections.shuffle(removed, shuffle);
    for (String id : first(held, 10)) {
      Run got = c.get(id);
      List<String> d = CrashModel.diff(model.get(id).run(), got, false);
      if (!d.isEmpty()) {
        tally.problem("GetExecution " + id + " differs from the model in " + d);
      }
    }
    for (String id : first(removed, 5)) {
      try {
        c.get(id);
        tally.problem("GetExecution finds removed run " + id);
      } catch (ExecLogClientException e) {
        if (e.code() != Status.Code.NOT_FOUND) {
          throw e;
        }
      }
    }
    // The histories of one writer's tasks each time, page by page.
    List<Writer> sample = new ArrayList<>(List.of(writers));
    Collections.shuffle(sample, shuffle);
    for (Writer w : first(sample, 1)) {
      List<String> tasks = new ArrayList<>(List.of(w.tasks));
      tasks.add(w.importTask);
      for (String task : tasks) {
        Set<String> want = byTask.getOrDefault(task, Set.of());
        Set<String> got = new HashSet<>();
        Instant previous = null;
        boolean ordered = true;
        String token = "";
        do {
          Page<Run> page = c.listExecutions(HistoryQuery.task(task), 25, token);
          for (Run r : page.items()) {
            got.add(r.runId());
            if (previous != null && r.recordTime().isAfter(previous)) {
              ordered = false;
            }
            previous = r.recordTime();
          }
          token = page.nextPageToken();
        } while (!token.isEmpty());
        if (!got.equals(want)) {
          tally.problem("the history of " + task + " lists " + got.size() + " runs, the model holds " + want.size());
        }
        if (!ordered) {
          tally.problem("the history of " + task + " is not newest first");
        }
      }
    }
  }

  /** Run ids with O(1) add, remove and random pick. */
  static final class IdBag {
    private final ArrayList<String> ids = new ArrayList<>();
    private final HashMap<String, Integer> positions = new HashMap<>();

    void add(String id) {
      if (positions.putIfAbsent(id, ids.size()) == null) {
        ids.add(id);
      }
    }

    void remove(String id) {
      Integer at = positions.remove(id);
      if (at == null) {
        return;
      }
      String last = ids.remove(ids.size() - 1);
      if (at < ids.size()) {
        ids.set(at, last);
        positions.put(last, at);
      }
    }

    String random(SplittableRandom rnd) {
      return ids.get(rnd.nextInt(ids.size()));
    }

    List<String> ids() {
      return ids;
    }

    int size() {
      return ids.size();
    }

    void clear() {
      ids.clear();
      positions.clear();
    }
  }
}
