package dev.execlog.server.store;

import dev.execlog.server.model.ExecLogException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Keeps the log the server's own while other programs can touch its files: every
 * {@link StoreConfig#checkInterval()}, and before every fold, it checks that the lock files are
 * still the ones locked and locks them again when they were deleted. When another process got a lock
 * first, the log is no longer this server's to write: writes are refused for good (the journal keeps
 * what was acknowledged) and the store reports itself not ready.
 */
final class StoreGuard implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(StoreGuard.class.getName());

  private final LogLocks locks;
  private final StoreHealth health;
  private final Duration interval;
  private final Thread thread;
  private final Object wakeup = new Object();
  private boolean woken;
  private volatile ExecLogException lost;
  private volatile boolean stopped;

  StoreGuard(LogLocks locks, StoreHealth health, Duration interval) {
    this.locks = locks;
    this.health = health;
    this.interval = interval;
    this.thread = new Thread(this::loop, "execlog-guard");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Throws unless this server still holds every lock; called before anything rewrites the log file. */
  void verifyLocks() {
    ExecLogException gone = lost;
    if (gone != null) {
      throw gone;
    }
    Path taken;
    try {
      taken = locks.reassert();
    } catch (IOException e) {
      throw ExecLogException.storage("a lock file of the log was removed and cannot be created again ("
          + e.getMessage() + "); writes are refused until it can", e);
    }
    if (taken != null) {
      lose(taken);
    }
  }

  private void lose(Path taken) {
    ExecLogException reason = ExecLogException.precondition("LOG_IN_USE", "another process locked " + taken
        + " after the file was deleted under this server, so the server no longer writes the log; every change"
        + " it acknowledged is kept in its journal: stop the other program, then restart the server");
    synchronized (this) {
      if (lost == null) {
        lost = reason;
        LOG.severe(reason.getMessage());
        health.refuse(reason);
      }
    }
    throw lost;
  }

  /** Runs the next round of checks now instead of at the end of the interval. */
  void wake() {
    synchronized (wakeup) {
      woken = true;
      wakeup.notifyAll();
    }
  }

  private void loop() {
    while (!stopped && lost == null) {
      try {
        synchronized (wakeup) {
          if (!woken) {
            wakeup.wait(interval.toMillis());
          }
          woken = false;
        }
      } catch (InterruptedException e) {
        return;
      }
      if (!stopped) {
        check();
      }
    }
  }

  /** One round of checks; a failure refuses writes until a later round succeeds. */
  void check() {
    try {
      verifyLocks();
      health.restore();
    } catch (ExecLogException e) {
      if (lost == null && health.writable()) {
        LOG.warning(e.getMessage());
        health.refuse(e);
      }
    }
  }

  @Override
  public void close() {
    stopped = true;
    wake(); // not an interrupt: that would close a file channel in the middle of a check
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
