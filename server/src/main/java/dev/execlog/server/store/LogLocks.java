package dev.execlog.server.store;

import java.util.ArrayList;
import java.util.List;

/** Every lock a server holds on its log, taken in a fixed order and released together. */
final class LogLocks implements AutoCloseable {

  private final List<LogFileLock> locks;

  private LogLocks(List<LogFileLock> locks) {
    this.locks = locks;
  }

  /** Takes each lock at once, or none of them with the error of the first that is in use. */
  static LogLocks acquire(LogPaths paths) {
    List<LogFileLock> taken = new ArrayList<>();
    try {
      for (java.nio.file.Path lock : paths.libraryLocks()) {
        taken.add(LogFileLock.acquire(lock));
      }
      return new LogLocks(taken);
    } catch (RuntimeException e) {
      taken.forEach(LogFileLock::close);
      throw e;
    }
  }

  @Override
  public void close() {
    locks.forEach(LogFileLock::close);
  }
}
