package dev.execlog.bench;

import java.util.Arrays;

/** The measurements of one operation in one phase: count, throughput and latency percentiles. */
record OpResult(String op, String phase, int clients, long count, long errors, double seconds,
                double p50Ms, double p99Ms, double maxMs, double meanMs, String note, String firstError) {

  /** The same result with {@code more} added to its note. */
  OpResult withNote(String more) {
    if (more == null) {
      return this;
    }
    return new OpResult(op, phase, clients, count, errors, seconds, p50Ms, p99Ms, maxMs, meanMs,
        note == null ? more : note + "; " + more, firstError);
  }

  double opsPerSecond() {
    return seconds > 0 ? count / seconds : 0;
  }

  /** Builds the result from raw latencies in nanoseconds (sorted here). */
  static OpResult of(String op, String phase, int clients, long[] nanos, int n, long errors, double seconds,
                     String note, String firstError) {
    long[] sorted = Arrays.copyOf(nanos, n);
    Arrays.sort(sorted);
    double sum = 0;
    for (long v : sorted) {
      sum += v;
    }
    return new OpResult(op, phase, clients, n, errors, seconds,
        percentile(sorted, 0.50), percentile(sorted, 0.99), n == 0 ? 0 : sorted[n - 1] / 1e6,
        n == 0 ? 0 : sum / n / 1e6, note, firstError);
  }

  /** Nearest-rank percentile, in ms. */
  static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }
}
