package dev.execlog.server.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How long the oldest change that the log file does not show yet has waited: the fold lag an
 * operator watches to see the file falling behind the journal.
 */
final class FoldLag {

  private static final long NONE = Long.MIN_VALUE;

  /** When the oldest change not taken by a fold was made (System.nanoTime), or NONE. */
  private final AtomicLong pendingSince = new AtomicLong(NONE);
  /** The oldest change of the fold under way, or NONE. */
  private final AtomicLong folding = new AtomicLong(NONE);

  void changed() {
    pendingSince.compareAndSet(NONE, System.nanoTime());
  }

  /** Called while the fold takes its snapshot, when no write can come between. */
  void foldStarted() {
    folding.set(pendingSince.getAndSet(NONE));
  }

  /** A failed fold leaves its changes behind the file, so they count again. */
  void foldFinished(boolean written) {
    long taken = folding.getAndSet(NONE);
    if (!written && taken != NONE) {
      pendingSince.accumulateAndGet(taken, (current, t) -> current == NONE || t - current < 0 ? t : current);
    }
  }

  double seconds() {
    long oldest = oldest(folding.get(), pendingSince.get());
    return oldest == NONE ? 0 : Math.max(0, System.nanoTime() - oldest) / 1e9;
  }

  private static long oldest(long a, long b) {
    if (a == NONE) {
      return b;
    }
    return b == NONE || a - b < 0 ? a : b;
  }
}
