package dev.execlog.server.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Every lock a server holds on its log: the servers' own lock first, then the Python library's,
 * taken in that order by every server so that a refused one never holds the library's lock.
 */
final class LogLocks implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(LogLocks.class.getName());

  private final List<LogFileLock> locks;

  private LogLocks(List<LogFileLock> locks) {
    this.locks = locks;
  }

  /** Takes each lock at once, or none of them with the error of the first that is in use. */
  static LogLocks acquire(LogPaths paths) {
    List<LogFileLock> taken = new ArrayList<>();
    try {
      taken.add(LogFileLock.acquire(paths.serverLock(), "the execution log " + paths.file()
          + " is in use: another execlog server holds " + paths.serverLock()));
      for (Path lock : paths.libraryLocks()) {
        taken.add(LogFileLock.acquire(lock));
      }
      return new LogLocks(taken);
    } catch (RuntimeException e) {
      taken.forEach(LogFileLock::close);
      throw e;
    }
  }

  /**
   * Locks again any lock file that was deleted or replaced. Returns the path of a lock another
   * process took meanwhile (then this server no longer has the log to itself), or null.
   */
  Path reassert() throws IOException {
    for (LogFileLock lock : locks) {
      switch (lock.reassert()) {
        case LOST:
          return lock.path();
        case RETAKEN:
          LOG.warning(lock.path() + " was deleted or replaced while the server ran; it is locked again");
          break;
        default:
          break;
      }
    }
    return null;
  }

  @Override
  public void close() {
    locks.forEach(LogFileLock::close);
  }
}
