package dev.execlog.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The performance goals, each printed as {@code measured / goal / met|missed} from what this run
 * measured, as ratios against this machine's own floors (an append + {@code fdatasync} in the log's
 * directory, a trivial unary call) so that a shared or slow machine still tells where the server
 * stands. A goal whose measurement was not taken in this run says so instead.
 */
final class Goals {

  static final long WHOLE_LOG_RUNS = 1_000_000;

  final long runs;
  OpResult fdatasync;
  OpResult unary;
  double startupMs = -1;
  /** Seconds one thread takes just to tokenize the JSON log file; -1 when not measured. */
  double tokenizeSeconds = -1;
  /** The server's CPU time at start-up, all threads: on a shared machine the steadier figure. */
  double startupCpuMs = -1;
  final Map<String, OpResult> idle = new LinkedHashMap<>();
  final Map<String, OpResult> throughput = new LinkedHashMap<>();
  final Map<String, OpResult> underLoad = new LinkedHashMap<>();
  /** The same reads under as many clients reading: what the shared cores alone do to p99. */
  final Map<String, OpResult> underReadLoad = new LinkedHashMap<>();
  PostgresComparison.Result postgres;
  String postgresSkipped;
  double foldCoreShare = -1;
  OpResult importMerge;
  long importRuns;

  /** The store the server ran on: json or postgresql. */
  String store = "json";

  Goals(long runs) {
    this.runs = runs;
  }

  void print(PrintStream out, boolean json) {
    Map<String, String> lines = new LinkedHashMap<>();
    if (fdatasync != null) {
      lines.put("floor_fdatasync", String.format("append + fdatasync in the log's directory: p50 %.3f ms, p99 %.3f ms",
          fdatasync.p50Ms(), fdatasync.p99Ms()));
    }
    if (unary != null) {
      lines.put("floor_unary", String.format("a trivial unary call (GetLogInfo), one client: p50 %.3f ms, p99 %.3f ms",
          unary.p50Ms(), unary.p99Ms()));
    }
    OpResult recordTp = throughput.get("record");
    OpResult getTp = throughput.get("get");
    if (recordTp != null && getTp != null) {
      lines.put("write_throughput", goal(String.format("record %.0f/s vs get %.0f/s with %d clients: ratio %.2f",
          recordTp.opsPerSecond(), getTp.opsPerSecond(), recordTp.clients(), ratio(recordTp.opsPerSecond(),
              getTp.opsPerSecond())), ">= 0.80", ratio(recordTp.opsPerSecond(), getTp.opsPerSecond()) >= 0.8));
    } else {
      lines.put("write_throughput", notMeasured("needs record and get in --ops and --throughput-clients > 0"));
    }
    OpResult record = idle.get("record");
    OpResult get = idle.get("get");
    if (record != null && get != null && fdatasync != null) {
      double bound = get.p50Ms() + 2 * fdatasync.p50Ms();
      lines.put("write_latency_p50", goal(String.format("record p50 %.3f ms", record.p50Ms()),
          String.format("<= get p50 %.3f + 2 x fdatasync p50 %.3f = %.3f ms", get.p50Ms(), fdatasync.p50Ms(), bound),
          record.p50Ms() <= bound));
    } else {
      lines.put("write_latency_p50", notMeasured("needs record and get with --clients 1, and the fdatasync floor"));
    }
    if (record != null) {
      lines.put("write_latency_p99", goal(String.format("record p99 %.3f ms = %.1f x p50", record.p99Ms(),
          ratio(record.p99Ms(), record.p50Ms())), "<= 4 x p50", record.p99Ms() <= 4 * record.p50Ms()));
    }
    for (String op : new String[] {"get", "history"}) {
      OpResult quiet = idle.get(op);
      OpResult loaded = underLoad.get(op);
      if (quiet != null && loaded != null) {
        OpResult reading = underReadLoad.get(op);
        String control = reading == null ? "" : String.format(" (under as many clients reading instead: %.3f ms,"
            + " %.2f x)", reading.p99Ms(), ratio(reading.p99Ms(), quiet.p99Ms()));
        lines.put("readers_" + op, goal(String.format("%s p99 %.3f ms under a %d-client record load vs %.3f ms "
                + "without: %.2f x%s", op, loaded.p99Ms(), recordTp != null ? recordTp.clients() : 0, quiet.p99Ms(),
                ratio(loaded.p99Ms(), quiet.p99Ms()), control), "<= 2 x",
            loaded.p99Ms() <= 2 * quiet.p99Ms()));
      } else {
        lines.put("readers_" + op, notMeasured("needs " + op + " and record in --ops and --throughput-clients > 0"));
      }
    }
    if (postgres != null && recordTp != null) {
      double r = ratio(recordTp.opsPerSecond(), postgres.tps());
      lines.put("vs_postgresql", goal(String.format("record %.0f/s vs PostgreSQL %.0f transactions/s: %.2f x (%s)",
          recordTp.opsPerSecond(), postgres.tps(), r, postgres.note()), ">= 4 x", r >= 4));
    } else {
      lines.put("vs_postgresql", "skipped: " + (postgresSkipped != null ? postgresSkipped
          : "needs record in --ops, --throughput-clients > 0 and --postgres auto"));
    }
    if (foldCoreShare >= 0) {
      lines.put("fold_cpu", goal(String.format("the fold thread used %.1f %% of one core from the first write to the end of the write load",
          100 * foldCoreShare), "<= 10 %" + at1M(), foldCoreShare <= 0.10));
    } else {
      lines.put("fold_cpu", notMeasured("needs record in --throughput-ops"));
    }
    if (startupMs >= 0) {
      String floor = tokenizeSeconds < 0 ? ""
          : String.format("; tokenizing the file alone takes %.2f s on one core", tokenizeSeconds);
      lines.put("startup", goal(String.format("%.2f s at %,d runs (%.1f s of CPU on %d cores%s)", startupMs / 1000,
          runs, startupCpuMs / 1000, Runtime.getRuntime().availableProcessors(), floor), "<= 5 s" + at1M(),
          startupMs <= 5000));
    }
    if (importMerge != null) {
      lines.put("import_merge", goal(String.format("%.2f s to merge %,d runs into %,d", importMerge.p50Ms() / 1000,
          importRuns, runs), "<= 2 s (100,000 into 1,000,000)", importMerge.p50Ms() <= 2000));
    } else {
      lines.put("import_merge", notMeasured("needs import in --ops"));
    }
    lines.put("durability", "not measured here: bin/execlog-bench --crash-trials N checks that nothing acknowledged is lost");
    if (json) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("op", "goals");
      o.put("store", store);
      o.putAll(lines);
      out.println(Json.write(o));
      return;
    }
    out.println("goals on the " + store + " store (measured / goal / met|missed):");
    lines.forEach((k, v) -> out.printf("  %-18s %s%n", k, v));
  }

  private String at1M() {
    return runs == WHOLE_LOG_RUNS ? "" : String.format(" (the goal is set at %,d runs; this run has %,d)",
        WHOLE_LOG_RUNS, runs);
  }

  private static String goal(String measured, String goal, boolean met) {
    return measured + " / " + goal + " / " + (met ? "met" : "missed");
  }

  private static String notMeasured(String why) {
    return "not measured: " + why;
  }

  private static double ratio(double a, double b) {
    return b == 0 ? Double.NaN : a / b;
  }
}
