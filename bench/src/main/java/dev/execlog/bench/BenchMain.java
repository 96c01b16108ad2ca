package dev.execlog.bench;

import dev.execlog.client.model.LogInfo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code execlog-bench}: generates a realistic log, starts the server on it as a child process and
 * drives every operation over real gRPC on loopback, printing count, throughput and latency
 * percentiles per operation, start-up time, heap after GC and file size per run. With
 * {@code --crash-trials} it instead kills the server under write load and checks that every
 * acknowledged change survives: only records with {@code --crash-workload record}, a random mix of
 * every write against a model of the acknowledged state by default.
 */
@Command(name = "execlog-bench", mixinStandardHelpOptions = true, version = "execlog-bench 0.1.0",
    sortOptions = false,
    description = {"Benchmarks the execlog server: generates a log of --runs runs in the file format,",
        "starts the server on it, and measures each operation over gRPC on 127.0.0.1.",
        "Human table on stdout by default; --json prints one JSON object per line instead.",
        "Progress goes to stderr."},
    footer = {"%nExamples:",
        "  execlog-bench --runs 100000",
        "  execlog-bench --runs 1000000 --jvm-opts='-Xmx6g' --cache-dir /tmp/execlog-bench-cache --json",
        "  execlog-bench --runs 10000 --ops get,history --clients 4 --duration 10",
        "  execlog-bench --crash-trials 10",
        "  execlog-bench --crash-trials 200 --crash-workload mixed"})
public final class BenchMain implements Callable<Integer> {

  @Option(names = "--runs", defaultValue = "10000", description = "Runs in the generated log (default: ${DEFAULT-VALUE}).")
  long runs;

  @Option(names = "--clients", defaultValue = "1",
      description = "Concurrent clients of the latency phase (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--count", defaultValue = "2000",
      description = "Calls per run/task operation in the latency phase (default: ${DEFAULT-VALUE}).")
  long count;

  @Option(names = "--duration", defaultValue = "0",
      description = "Seconds per run/task operation instead of --count (0: use --count).")
  double durationSeconds;

  @Option(names = "--warmup", defaultValue = "300",
      description = "Unmeasured calls before each run/task operation (default: ${DEFAULT-VALUE}).")
  long warmup;

  @Option(names = "--warm-seconds", defaultValue = "5",
      description = "Seconds of unmeasured reads (all read ops in turn) before the first measurement, "
          + "so the server's JIT has compiled the common paths (default: ${DEFAULT-VALUE}).")
  double warmSeconds;

  @Option(names = "--throughput-warmup", defaultValue = "30",
      description = "Seconds each throughput phase runs unmeasured first with all its clients: on two busy "
          + "cores both JVMs take that long to compile a path under load (default: ${DEFAULT-VALUE}).")
  double throughputWarmSeconds;

  @Option(names = "--ops", split = ",", description = "Operations to run, comma-separated, from: "
      + "record, get, history, latest, producer, list, validate, cleanup, export_json, export_csv, import "
      + "(default: all).")
  List<String> ops;

  @Option(names = "--heavy-count", defaultValue = "3",
      description = "Calls of each whole-log operation (validate, cleanup, exports) (default: ${DEFAULT-VALUE}).")
  int heavyCount;

  @Option(names = "--heavy-warmup", defaultValue = "1",
      description = "Unmeasured calls before each whole-log operation (default: ${DEFAULT-VALUE}).")
  int heavyWarmup;

  @Option(names = "--import-runs", defaultValue = "100000",
      description = "Runs in each file the import op merges (default: ${DEFAULT-VALUE}).")
  long importRuns;

  @Option(names = "--import-count", defaultValue = "1",
      description = "Import merges to measure, each of a different generated file (default: ${DEFAULT-VALUE}).")
  int importCount;

  @Option(names = "--throughput-clients", defaultValue = "32",
      description = "Concurrent clients of the throughput phase; 0 skips it (default: ${DEFAULT-VALUE}).")
  int throughputClients;

  @Option(names = "--throughput-duration", defaultValue = "10",
      description = "Seconds per operation of the throughput phase (default: ${DEFAULT-VALUE}).")
  double throughputSeconds;

  @Option(names = "--throughput-ops", split = ",", defaultValue = "record,get",
      description = "Operations of the throughput phase (default: ${DEFAULT-VALUE}).")
  List<String> throughputOps;

  @Option(names = "--server-jar", defaultValue = "${env:EXECLOG_BENCH_SERVER_JAR}",
      description = "The server's fat jar; copied to the work directory before use "
          + "(EXECLOG_BENCH_SERVER_JAR; default: server/target/execlog-server-*-all.jar of the current directory).")
  Path serverJar;

  @Option(names = "--jvm-opts", defaultValue = "-Xmx4g",
      description = "JVM options of the server, space-separated (default: ${DEFAULT-VALUE}).")
  String jvmOpts;

  @Option(names = "--server-arg", description = "Extra argument for the server, repeatable "
      + "(e.g. --server-arg=--fold-interval-ms=200).")
  List<String> serverArgs = new ArrayList<>();

  @Option(names = "--work-dir", defaultValue = "${sys:java.io.tmpdir}",
      description = "Where the temporary directory (log, import files, server output) goes (default: ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(names = "--cache-dir", description = "Keep generated logs here and reuse them on later runs "
      + "(same --runs, --seed and day); the benchmark works on a copy.")
  Path cacheDir;

  @Option(names = "--keep", description = "Keep the temporary directory.")
  boolean keep;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated log (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--timeout", defaultValue = "60", description = "Deadline of each short call, seconds (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--startup-timeout", defaultValue = "600",
      description = "Longest wait for the server to serve, seconds (default: ${DEFAULT-VALUE}).")
  long startupTimeoutSeconds;

  @Option(names = "--json", description = "Print one JSON object per line (per operation) instead of a table.")
  boolean json;

  @Option(names = "--generate-only", description = "Only write the generated log to this file, then exit.")
  Path generateOnly;

  @Option(names = "--crash-trials", defaultValue = "0",
      description = "Crash mode: this many SIGKILL-and-restart trials under write load, then exit.")
  int crashTrials;

  @Option(names = "--crash-runs", defaultValue = "1000", description = "Runs of the crash mode's starting log (default: ${DEFAULT-VALUE}).")
  long crashRuns;

  @Option(names = "--crash-clients", defaultValue = "8", description = "Writers of the crash mode (default: ${DEFAULT-VALUE}).")
  int crashClients;

  @Option(names = "--crash-max-ms", defaultValue = "3000",
      description = "The kill comes at a random moment between 100 ms and this after the writers start (default: ${DEFAULT-VALUE}).")
  long crashMaxMs;

  @Option(names = "--crash-workload", defaultValue = "mixed",
      description = "What the crash mode's writers do: mixed (record, update, delete, track, cleanup and import, "
          + "checked against a model of every acknowledged call) or record (only record runs) (default: ${DEFAULT-VALUE}).")
  String crashWorkload;

  @Option(names = "--crash-clean-every", defaultValue = "50",
      description = "Mixed crash mode: after every this many trials, also stop the server cleanly (SIGTERM) under load "
          + "and check the log file itself; 0: only after the last trial (default: ${DEFAULT-VALUE}).")
  int crashCleanEvery;

  @Option(names = "--store", defaultValue = "json",
      description = "The server's store: json (the generated log file) or postgresql (a throwaway cluster under"
          + " --work-dir, filled from the generated log by migrate-log; needs PostgreSQL's server binaries)"
          + " (default: ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--cluster", defaultValue = "1",
      description = "With --store postgresql: also measure record and get throughput with 2..N servers on the one"
          + " database, the --throughput-clients spread over them (default: ${DEFAULT-VALUE}, off).")
  int cluster;

  @Option(names = "--postgres", defaultValue = "auto",
      description = "Compare record throughput with a throwaway PostgreSQL cluster driven by pgbench: auto (when "
          + "/usr/lib/postgresql/*/bin is installed) or off (default: ${DEFAULT-VALUE}).")
  String postgres;

  @Option(names = "--floor-syncs", defaultValue = "1000",
      description = "Appends + fdatasync measured in the log's directory as the disk's floor (default: ${DEFAULT-VALUE}).")
  int floorSyncs;

  @Spec
  CommandSpec spec;

  /** Whether the command line gave this option (rather than its default). */
  boolean given(String option) {
    return spec != null && spec.commandLine().getParseResult() != null
        && spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  /** The temporary directory to delete if the benchmark is interrupted (null with --keep or when done). */
  private static volatile Path interruptedWorkDir;

  private double foldCpuFrom = -1;
  private long foldWallFrom;

  private final PrintStream out = System.out;
  private final PrintStream err = System.err;

  public static void main(String[] args) {
    // Interrupted (Ctrl-C, SIGTERM): stop the servers this benchmark started, and only those.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      ProcessHandle.current().descendants().forEach(p -> {
        p.destroyForcibly();
        p.onExit().join();
      });
      Path dir = interruptedWorkDir;
      if (dir != null) {
        try {
          deleteTree(dir);
        } catch (IOException ignored) {
          // best effort
        }
      }
    }, "bench-cleanup"));
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (generateOnly != null) {
      long t0 = System.nanoTime();
      LogGenerator.Scan scan = generator(runs, seed).write(generateOnly);
      err.printf("execlog-bench: wrote %,d runs (%,d tasks) to %s: %,d bytes in %.1f s%n", scan.runs,
          scan.latest.size(), generateOnly, Files.size(generateOnly), (System.nanoTime() - t0) / 1e9);
      return 0;
    }
    if (!List.of("json", "postgresql").contains(store)) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--store must be json or postgresql, not " + store);
    }
    if (!List.of("mixed", "record").contains(crashWorkload)) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--crash-workload must be mixed or record, not " + crashWorkload);
    }
    if (crashClients < 1 || crashCleanEvery < 0) {
      throw new CommandLine.ParameterException(new CommandLine(this),
          "--crash-clients must be at least 1 and --crash-clean-every not negative");
    }
    List<String> selected = ops == null || ops.isEmpty() ? Workload.ALL_OPS : ops;
    for (String op : selected) {
      if (!Workload.ALL_OPS.contains(op)) {
        throw new CommandLine.ParameterException(new CommandLine(this), "unknown operation in --ops: " + op);
      }
    }
    Path jar = resolveServerJar();
    Files.createDirectories(workDir);
    Path tmp = Files.createTempDirectory(workDir, "execlog-bench-");
    interruptedWorkDir = keep ? null : tmp;
    try {
      Path benchJar = tmp.resolve("execlog-server.jar");
      Files.copy(jar, benchJar);
      if (crashTrials > 0) {
        return crashWorkload.equals("record") ? new CrashTrials(this, benchJar, tmp).run()
            : new MixedCrashTrials(this, benchJar, tmp).run();
      }
      return benchmark(selected, benchJar, tmp);
    } finally {
      if (keep) {
        err.println("execlog-bench: kept " + tmp);
      } else {
        interruptedWorkDir = null;
        deleteTree(tmp);
      }
    }
  }

  /**
   * Record and get throughput with 2..{@code cluster} servers on the one database: more servers are
   * started beside the first, and the throughput clients are spread over all of them.
   */
  private List<OpResult> clusterThroughput(Workload work, Path jar, Path root, List<String> jvm, List<String> args,
      Path tmp, int firstPort) throws Exception {
    List<OpResult> results = new ArrayList<>();
    List<ServerProcess> more = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>(List.of(firstPort));
      for (int n = 2; n <= cluster; n++) {
        List<String> serverArgs = new ArrayList<>(args);
        serverArgs.addAll(List.of("--server-id", "bench-" + n));
        ServerProcess s = ServerProcess.start(jar, root, jvm, serverArgs, tmp, "bench-" + n, startupTimeoutSeconds * 1000);
        more.add(s);
        ports.add(s.port());
        try (Clients spread = new Clients(ports, throughputClients + 1, Duration.ofSeconds(timeoutSeconds))) {
          for (String op : List.of("record", "get")) {
            // The new server's JIT warms up first, as the first server's did before its throughput phase.
            work.run(op, "warmup", spread, throughputClients, 0, (long) (warmSeconds * 1000 + 1000), 50_000_000L, seed + 19);
            err.printf("execlog-bench: %s: throughput with %d clients over %d servers for %.0f s...%n", op,
                throughputClients, n, throughputSeconds);
            OpResult r = work.run(op, "cluster_" + n, spread, throughputClients, 0, (long) (throughputSeconds * 1000),
                50_000_000L, seed + 17);
            results.add(r);
            report(r);
          }
        }
      }
    } finally {
      for (ServerProcess s : more) {
        s.close();
      }
    }
    return results;
  }

  private int benchmark(List<String> selected, Path jar, Path tmp) throws Exception {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("runs", runs);
    meta.put("load_before", loadAverage());
    Path root = tmp.resolve("root");
    Path log = root.resolve("configs").resolve("execution_log.json");
    Files.createDirectories(log.getParent());

    err.printf("execlog-bench: generating a log of %,d runs...%n", runs);
    long t0 = System.nanoTime();
    LogGenerator.Scan scan = prepareLog(runs, seed, log);
    double genSeconds = (System.nanoTime() - t0) / 1e9;
    long fileBytes = Files.size(log);
    meta.put("generate_seconds", round(genSeconds, 2));
    meta.put("file_bytes", fileBytes);
    meta.put("file_bytes_per_run", runs == 0 ? 0 : fileBytes / runs);
    err.printf("execlog-bench: %,d bytes (%,d B/run) in %.1f s%n", fileBytes, runs == 0 ? 0 : fileBytes / runs, genSeconds);

    List<Path> importFiles = new ArrayList<>();
    if (selected.contains("import")) {
      for (int i = 0; i < importCount; i++) {
        Path f = tmp.resolve("import-" + i + ".json");
        err.printf("execlog-bench: generating import file %d of %,d runs...%n", i + 1, importRuns);
        generator(importRuns, seed + 1000 + i).write(f);
        importFiles.add(f);
      }
    }

    List<OpResult> results = new ArrayList<>();
    Goals goals = new Goals(runs);
    goals.store = store;
    if (floorSyncs > 0) {
      err.printf("execlog-bench: measuring %,d appends + fdatasync in %s...%n", floorSyncs, log.getParent());
      OpResult sync = Floors.appendSync(log.getParent(), floorSyncs, 1200);
      results.add(sync);
      report(sync);
      goals.fdatasync = sync;
    }
    if (store.equals("json")) {
      err.printf("execlog-bench: tokenizing the log file with Jackson, one thread...%n");
      goals.tokenizeSeconds = Floors.tokenizeSeconds(log);
      err.printf("execlog-bench:   tokenize floor: %.2f s (%.0f MB/s)%n", goals.tokenizeSeconds,
          Files.size(log) / 1e6 / goals.tokenizeSeconds);
    }

    List<String> jvm = splitOpts(jvmOpts);
    PostgresStoreRun database = store.equals("postgresql")
        ? PostgresStoreRun.start(jar, root, log, tmp, tmp.getParent(),
        Math.max(clients, throughputClients) + 4, err) : null;
    List<String> args = new ArrayList<>(serverArgs);
    meta.put("store", store);
    if (database != null) {
      args.addAll(List.of("--store", database.url(), "--store-connections",
          Integer.toString(Math.max(clients, throughputClients) + 4)));
      meta.put("store_load_seconds", round(database.loadSeconds(), 1));
      meta.put("postgresql_version", database.version());
    }
    err.println("execlog-bench: starting the server (" + String.join(" ", jvm) + ")...");
    try (PostgresStoreRun closeLast = database;
         ServerProcess server = ServerProcess.start(jar, root, jvm, args, tmp, "bench",
        startupTimeoutSeconds * 1000)) {
      meta.put("startup_ms", round(server.startupMs(), 1));
      meta.put("startup_cpu_ms", round(server.startupCpuMs(), 1));
      goals.startupMs = server.startupMs();
      goals.startupCpuMs = server.startupCpuMs();
      err.printf("execlog-bench: serving on port %d after %.0f ms (%.0f ms of CPU)%n", server.port(),
          server.startupMs(), server.startupCpuMs());
      int poolSize = Math.max(clients, throughputClients + 1);
      try (Clients pool = new Clients(server.port(), poolSize, Duration.ofSeconds(timeoutSeconds))) {
        LogInfo info = pool.get(0).info();
        meta.put("loaded_runs", info.executionCount());
        if (database != null) {
          meta.put("database_bytes", info.sizeBytes());
          meta.put("database_bytes_per_run", runs == 0 ? 0 : info.sizeBytes() / runs);
          err.printf("execlog-bench: the database holds %,d bytes (%,d B/run)%n", info.sizeBytes(),
              runs == 0 ? 0 : info.sizeBytes() / runs);
        }
        if (info.executionCount() != runs) {
          err.printf("execlog-bench: WARNING: the server holds %,d runs, the file %,d%n", info.executionCount(), runs);
        }
        heap(server, runs, meta, "");

        Workload work = new Workload(scan, importFiles);
        long durationMs = (long) (durationSeconds * 1000);
        List<String> reads = List.of("get", "history", "latest", "producer", "list");
        if (warmSeconds > 0) {
          err.printf("execlog-bench: warming the server up with reads for %.0f s...%n", warmSeconds);
          for (String op : reads) {
            work.run(op, "warmup", pool, 1, 0, (long) (warmSeconds * 1000 / reads.size()), 10_000_000L, seed + 5);
          }
        }
        err.println("execlog-bench: the floor of a unary call (GetLogInfo)...");
        work.run("info", "warmup", pool, 1, warmup, 0, 0, seed + 3);
        OpResult unary = work.run("info", "floor", pool, 1, count, 0, 0, seed + 3);
        results.add(unary);
        report(unary);
        goals.unary = unary;
        for (String op : selected) {
          if (op.equals("import")) {
            continue;
          }
          boolean whole = Workload.WHOLE_OPS.contains(op);
          if (op.equals("record") && foldCpuFrom < 0) {
            foldCpuFrom = Floors.threadCpuSeconds(server.pid(), "execlog-folder");
            foldWallFrom = System.nanoTime();
          }
          int c = whole ? 1 : clients;
          long w = whole ? heavyWarmup : warmup;
          if (w > 0) {
            err.printf("execlog-bench: %s: warm-up (%d calls)...%n", op, w);
            work.run(op, "warmup", pool, c, w, 0, 0, seed + 7);
          }
          err.printf("execlog-bench: %s: measuring...%n", op);
          OpResult r = whole ? work.run(op, "latency", pool, 1, heavyCount, 0, 0, seed + 11)
              : work.run(op, "latency", pool, c, count, durationMs, 10_000_000L, seed + 11);
          results.add(r);
          report(r);
          if (c == 1) {
            goals.idle.put(op, r);
          }
        }
        if (throughputClients > 0) {
          for (String op : throughputOps) {
            if (!selected.contains(op)) {
              continue;
            }
            // Unmeasured first, so both JVMs have compiled this op's path under concurrency and the
            // window measures the steady state, not the JIT.
            err.printf("execlog-bench: %s: warming up with %d clients for %.0f s...%n", op, throughputClients,
                throughputWarmSeconds);
            work.run(op, "warmup", pool, throughputClients, 0, (long) (throughputWarmSeconds * 1000), 50_000_000L,
                seed + 17);
            err.printf("execlog-bench: %s: throughput with %d clients for %.0f s...%n", op, throughputClients,
                throughputSeconds);
            CpuMeter cpu = CpuMeter.start(server.pid());
            OpResult r = work.run(op, "throughput", pool, throughputClients, 0,
                (long) (throughputSeconds * 1000), 50_000_000L, seed + 13);
            r = r.withNote(cpu.perCall(r.count()));
            results.add(r);
            report(r);
            goals.throughput.put(op, r);
          }
          if (selected.contains("record")) {
            for (String op : List.of("get", "history")) {
              if (selected.contains(op)) {
                results.add(readsUnderLoad(work, pool, op, "record", goals.underLoad));
                // The control: the same CPU load without a disk, so the figure above can be split
                // into what the cores explain and what writing adds.
                results.add(readsUnderLoad(work, pool, op, "get", goals.underReadLoad));
              }
            }
          }
        }
        if (foldCpuFrom >= 0) {
          // From the first write to the end of the write load: the fold's average share of one core.
          double cpu = Floors.threadCpuSeconds(server.pid(), "execlog-folder") - foldCpuFrom;
          double wall = (System.nanoTime() - foldWallFrom) / 1e9;
          goals.foldCoreShare = cpu / wall;
          err.printf("execlog-bench:   fold thread: %.2f s of CPU in the %.1f s since the first write (%.1f %% of one core)%n",
              cpu, wall, 100 * goals.foldCoreShare);
        }
        if (database != null && cluster > 1 && throughputClients > 0) {
          results.addAll(clusterThroughput(work, jar, root, jvm, args, tmp, server.port()));
        }
        if (selected.contains("record") && throughputClients > 0 && !"off".equals(postgres)) {
          comparePostgres(tmp, goals);
        }
        if (selected.contains("import")) {
          err.println("execlog-bench: import: measuring...");
          OpResult r = work.run("import", "latency", pool, 1, importCount, 0, 0, seed + 17);
          results.add(r);
          report(r);
          goals.importMerge = r;
          goals.importRuns = importRuns;
        }
        LogInfo after = pool.get(0).info();
        meta.put("runs_at_end", after.executionCount());
        heap(server, after.executionCount(), meta, "_end");
      }
      err.println("execlog-bench: stopping the server (SIGTERM, folds the journal)...");
      double stopMs = server.stop(600_000);
      meta.put("shutdown_ms", round(stopMs, 1));
      meta.put("server_exit", stopMs < 0 ? "killed after timeout" : Integer.toString(server.exitValue()));
      meta.put("file_bytes_at_end", Files.size(log));
    }
    meta.put("load_after", loadAverage());
    print(meta, results);
    goals.print(out, json);
    return results.stream().anyMatch(r -> r.errors() > 0) ? 3 : 0;
  }

  /**
   * One client's {@code op} latency while {@link #throughputClients} others record as fast as they
   * can: readers must not wait for the disk.
   */
  private OpResult readsUnderLoad(Workload work, Clients pool, String op, String loadOp, Map<String, OpResult> into)
      throws InterruptedException {
    boolean writes = loadOp.equals("record");
    err.printf("execlog-bench: %s: latency with %d clients %s meanwhile...%n", op, throughputClients,
        writes ? "recording" : "reading (" + loadOp + ")");
    AtomicBoolean stop = new AtomicBoolean();
    Thread load = new Thread(() -> {
      try {
        work.run(loadOp, "load", pool, 1, throughputClients, 0, 3_600_000L, Long.MAX_VALUE, seed + 19, stop);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-load");
    load.setDaemon(true);
    load.start();
    try {
      Thread.sleep(1000); // the load is up
      OpResult r = work.run(op, writes ? "under_load" : "under_read_load", pool, 0, 1, count,
          (long) (durationSeconds * 1000), 10_000_000L, seed + 23, new AtomicBoolean());
      report(r);
      into.put(op, r);
      return r;
    } finally {
      stop.set(true);
      load.join();
    }
  }

  private void comparePostgres(Path tmp, Goals goals) {
    Path bin = PostgresComparison.binaries();
    if (bin == null) {
      goals.postgresSkipped = "PostgreSQL's server binaries are not installed (/usr/lib/postgresql/*/bin; Debian: "
          + "apt-get install postgresql-15)";
      err.println("execlog-bench: postgresql: skipped: " + goals.postgresSkipped);
      return;
    }
    try {
      goals.postgres = new PostgresComparison(err).run(bin, tmp.getParent(), runs, throughputClients,
          throughputSeconds);
      err.printf("execlog-bench:   postgresql: %.1f transactions/s (%s)%n", goals.postgres.tps(), goals.postgres.note());
    } catch (IOException | RuntimeException e) {
      goals.postgresSkipped = "the PostgreSQL comparison failed: " + e.getMessage();
      err.println("execlog-bench: postgresql: " + goals.postgresSkipped);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      goals.postgresSkipped = "interrupted";
    }
  }

  private void heap(ServerProcess server, long runCount, Map<String, Object> meta, String suffix) {
    try {
      long[] heap = server.heapAfterGc();
      meta.put("heap_used_bytes" + suffix, heap[1]);
      meta.put("heap_committed_bytes" + suffix, heap[0]);
      meta.put("heap_bytes_per_run" + suffix, runCount == 0 ? 0 : heap[1] / runCount);
      meta.put("rss_bytes" + suffix, server.rssBytes());
      err.printf("execlog-bench: heap after GC%s: %,d bytes used (%,d B/run), RSS %,d bytes%n", suffix, heap[1],
          runCount == 0 ? 0 : heap[1] / runCount, server.rssBytes());
    } catch (IOException | InterruptedException e) {
      err.println("execlog-bench: cannot measure the heap: " + e.getMessage());
    }
  }

  /** Generates the log into {@code log}, or copies it from the cache, returning its scan. */
  LogGenerator.Scan prepareLog(long n, long s, Path log) throws IOException {
    LogGenerator gen = generator(n, s);
    if (cacheDir == null) {
      return gen.write(log);
    }
    Files.createDirectories(cacheDir);
    String day = DateTimeFormatter.BASIC_ISO_DATE.format(generationEnd().atOffset(ZoneOffset.UTC));
    Path cached = cacheDir.resolve("execlog-" + n + "-s" + s + "-" + day + ".json");
    LogGenerator.Scan scan;
    if (Files.exists(cached)) {
      err.println("execlog-bench: reusing " + cached);
      scan = gen.scan();
    } else {
      scan = gen.write(cached);
    }
    Files.copy(cached, log, StandardCopyOption.REPLACE_EXISTING);
    return scan;
  }

  /** The generated logs end at the start of the current UTC day, so a cached log is reproducible. */
  static Instant generationEnd() {
    return Instant.now().truncatedTo(ChronoUnit.DAYS);
  }

  static LogGenerator generator(long n, long s) {
    return new LogGenerator(n, s, generationEnd(), 10_000);
  }

  private Path resolveServerJar() throws IOException {
    if (serverJar != null && !serverJar.toString().isBlank()) {
      if (!Files.isRegularFile(serverJar)) {
        throw new IOException("no server jar at " + serverJar);
      }
      return serverJar;
    }
    Path dir = Path.of("server", "target");
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        Path found = s.filter(p -> p.getFileName().toString().matches("execlog-server-.*-all\\.jar"))
            .findFirst().orElse(null);
        if (found != null) {
          return found;
        }
      }
    }
    throw new IOException("no server jar: pass --server-jar or set EXECLOG_BENCH_SERVER_JAR");
  }

  // ---------------------------------------------------------------- output

  private void report(OpResult r) {
    err.printf("execlog-bench:   %s %s: %,d calls, %.1f ops/s, p50 %.3f ms, p99 %.3f ms, max %.3f ms%s%s%n", r.op(),
        r.phase(), r.count(), r.opsPerSecond(), r.p50Ms(), r.p99Ms(), r.maxMs(),
        r.errors() > 0 ? ", " + r.errors() + " errors (first: " + r.firstError() + ")" : "",
        r.note() != null ? " [" + r.note() + "]" : "");
  }

  private void print(Map<String, Object> meta, List<OpResult> results) {
    if (json) {
      for (OpResult r : results) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("op", r.op());
        o.put("phase", r.phase());
        o.put("runs", runs);
        o.put("clients", r.clients());
        o.put("count", r.count());
        o.put("errors", r.errors());
        o.put("seconds", round(r.seconds(), 4));
        o.put("ops_per_sec", round(r.opsPerSecond(), 1));
        o.put("p50_ms", round(r.p50Ms(), 4));
        o.put("p99_ms", round(r.p99Ms(), 4));
        o.put("max_ms", round(r.maxMs(), 4));
        o.put("mean_ms", round(r.meanMs(), 4));
        if (r.note() != null) {
          o.put("note", r.note());
        }
        if (r.firstError() != null) {
          o.put("first_error", r.firstError());
        }
        out.println(Json.write(o));
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("op", "server");
      m.putAll(meta);
      out.println(Json.write(m));
      return;
    }
    out.printf("execlog-bench: %,d runs, log file %,d bytes (%s B/run), generated in %s s%n", runs,
        meta.get("file_bytes"), meta.get("file_bytes_per_run"), meta.get("generate_seconds"));
    out.printf("server: start-up %s ms (%s ms of CPU); heap after GC %s bytes used (%s B/run), RSS %s bytes; shutdown %s ms%n",
        meta.get("startup_ms"), meta.get("startup_cpu_ms"), fmt(meta.get("heap_used_bytes")),
        meta.get("heap_bytes_per_run"),
        fmt(meta.get("rss_bytes")), meta.get("shutdown_ms"));
    out.printf("at end: %s runs, heap after GC %s bytes used (%s B/run), file %s bytes%n",
        fmt(meta.get("runs_at_end")), fmt(meta.get("heap_used_bytes_end")), meta.get("heap_bytes_per_run_end"),
        fmt(meta.get("file_bytes_at_end")));
    out.printf("load average: before %s, after %s; server JVM: %s%n", meta.get("load_before"), meta.get("load_after"),
        jvmOpts);
    out.printf("%-12s %-10s %7s %9s %6s %11s %10s %10s %10s  %s%n", "op", "phase", "clients", "count", "errors",
        "ops/s", "p50 ms", "p99 ms", "max ms", "note");
    for (OpResult r : results) {
      out.printf("%-12s %-10s %7d %9d %6d %11.1f %10.3f %10.3f %10.3f  %s%n", r.op(), r.phase(), r.clients(),
          r.count(), r.errors(), r.opsPerSecond(), r.p50Ms(), r.p99Ms(), r.maxMs(),
          (r.note() == null ? "" : r.note()) + (r.firstError() == null ? "" : " first error: " + r.firstError()));
    }
  }

  private static String fmt(Object o) {
    return o instanceof Number n ? String.format("%,d", n.longValue()) : String.valueOf(o);
  }

  static double round(double v, int places) {
    double f = Math.pow(10, places);
    return Math.round(v * f) / f;
  }

  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return String.join(" ", Arrays.copyOf(parts, 3));
    } catch (IOException e) {
      return "unknown";
    }
  }

  static List<String> splitOpts(String opts) {
    List<String> list = new ArrayList<>();
    if (opts != null) {
      for (String s : opts.trim().split("\\s+")) {
        if (!s.isEmpty()) {
          list.add(s);
        }
      }
    }
    return list;
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  // accessors for CrashTrials
  PrintStream err() {
    return err;
  }

  PrintStream out() {
    return out;
  }
}
