package dev.execlog.server.store;

import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Keeps the log's files as the server wrote them while other programs can touch them. Every
 * {@link StoreConfig#checkInterval()}:
 *
 * <ul>
 *   <li>a deleted directory of the log is made again;
 *   <li>each lock file must still be the file locked (checked before every fold too); a deleted one
 *       is created and locked again. When another process got it first, the log is no longer this
 *       server's to write: writes are refused for good (the journal keeps what was acknowledged);
 *   <li>the log file and the journal segments must be the files written, at least as long as
 *       written; when one was deleted, replaced or cut short, the log file is rewritten from memory
 *       (a fold, which also moves the journal to a new segment), since a crash would lose it otherwise.
 * </ul>
 *
 * <p>While a repair fails, writes are refused and the store reports itself not ready; the next round
 * that succeeds makes it ready again.
 */
final class StoreGuard implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(StoreGuard.class.getName());

  private final LogPaths paths;
  private final LogLocks locks;
  private final StoreHealth health;
  private final Duration interval;
  private final Thread thread;
  private final Object wakeup = new Object();
  private boolean woken;
  private LogFolder folder;
  private WriteBatcher batcher;
  private volatile ExecLogException lost;
  private volatile boolean stopped;

  StoreGuard(LogPaths paths, LogLocks locks, StoreHealth health, Duration interval) {
    this.paths = paths;
    this.locks = locks;
    this.health = health;
    this.interval = interval;
    this.thread = new Thread(this::loop, "execlog-guard");
    this.thread.setDaemon(true);
  }

  /** Starts checking; {@code folder} and {@code batcher} rewrite the log file when a check finds damage. */
  void start(LogFolder folder, WriteBatcher batcher) {
    this.folder = folder;
    this.batcher = batcher;
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
    ExecLogException reason = ExecLogException.precondition(ErrorReason.LOG_IN_USE, "another process locked " + taken
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

  /** One round of checks and repairs; a failure refuses writes until a later round succeeds. */
  private void check() {
    try {
      makeDirectories();
      verifyLocks();
      repairFiles();
      health.restore();
    } catch (ExecLogException e) {
      if (lost == null && health.writable()) {
        LOG.warning(e.getMessage());
        health.refuse(e);
      }
    }
  }

  private void makeDirectories() {
    for (Path dir : new Path[] {paths.directory(), paths.configured().getParent()}) {
      if (!Files.isDirectory(dir)) {
        try {
          Files.createDirectories(dir);
          LOG.warning("the directory " + dir + " of the log was deleted while the server ran; it was made again");
        } catch (IOException e) {
          String why = e instanceof FileAlreadyExistsException ? "a file that is not a directory is in its place"
              : e.toString();
          throw ExecLogException.storage("the directory " + dir + " of the log was removed and cannot be made"
              + " again (" + why + "); writes are refused until it can", e);
        }
      }
    }
  }

  private void repairFiles() {
    String damage;
    try {
      damage = folder.damage();
    } catch (IOException e) {
      throw ExecLogException.storage("cannot check the log file " + paths.file() + ": " + e.getMessage(), e);
    }
    if (damage == null) {
      return;
    }
    LOG.warning(damage + " while the server ran; rewriting the log file from memory");
    try {
      folder.foldOnce(batcher);
    } catch (ExecLogException e) {
      throw new ExecLogException(e.reason(), e.metadata(), damage + " and the log file cannot be written again ("
          + e.getMessage() + "); writes are refused until it can", e);
    }
    LOG.warning("the log file " + paths.file() + " holds every acknowledged change again");
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
