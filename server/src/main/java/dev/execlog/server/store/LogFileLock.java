package dev.execlog.server.store;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * An exclusive lock on one lock file, held while the server runs. It uses {@code flock(2)} because
 * that is what Python's {@code filelock} takes: Java's own {@code FileChannel.lock()} is a POSIX
 * record lock, which {@code flock} does not see, so the reference library would not be kept out.
 *
 * <p>A lock belongs to a file, not to its name: once the file is deleted (or replaced), whoever opens
 * the name gets a new file and locks it freely. So the lock remembers which file it locked, and
 * {@link #reassert()} takes the lock again on whatever file is at the name now.
 */
public final class LogFileLock implements AutoCloseable {

  /** What {@link #reassert()} found. */
  enum State {
    /** The file at the path is the one locked. */
    HELD,
    /** The file had been deleted or replaced; the one at the path now is locked instead. */
    RETAKEN,
    /** Another process locked the file now at the path: the lock is lost. */
    LOST
  }

  private interface CLib extends Library {
    int open(String path, int flags, int mode);

    int flock(int fd, int operation);

    int close(int fd);
  }

  /** One open and locked file. */
  private interface Hold {
    Object fileKey();

    void release();
  }

  private static final int O_RDWR = 02;
  private static final int O_CREAT = 0100;
  private static final int LOCK_EX = 2;
  private static final int LOCK_NB = 4;
  private static final int LOCK_UN = 8;
  private static final int EWOULDBLOCK = 11;
  private static final int ATTEMPTS = 10;
  private static final CLib LIBC = loadLibc();
  private static final boolean PROC_FDS = Files.isDirectory(Path.of("/proc/self/fd"));

  private final Path path;
  private Hold hold;

  private LogFileLock(Path path, Hold hold) {
    this.path = path;
    this.hold = hold;
  }

  /** Takes the lock at once or fails with a message saying the log is in use. */
  public static LogFileLock acquire(Path lockPath) {
    return acquire(lockPath, "the execution log is in use: another process holds " + lockPath
        + " (another execlog server, or a program using the Python library)");
  }

  /** Takes the lock at once or fails with {@code inUseMessage}. */
  static LogFileLock acquire(Path lockPath, String inUseMessage) {
    Hold hold;
    try {
      hold = take(lockPath);
    } catch (IOException e) {
      throw ExecLogException.storage("cannot lock " + lockPath + ": " + e.getMessage(), e);
    }
    if (hold == null) {
      throw ExecLogException.precondition(ErrorReason.LOG_IN_USE, inUseMessage);
    }
    return new LogFileLock(lockPath, hold);
  }

  public Path path() {
    return path;
  }

  /**
   * Checks that the file at the path is still the one locked, and if it is not, locks the one there
   * now (creating it when it is gone). Throws when the path cannot be opened (its directory is gone).
   */
  synchronized State reassert() throws IOException {
    if (hold == null) {
      return State.LOST;
    }
    if (sameFile(hold, path)) {
      return State.HELD;
    }
    Hold fresh = take(path);
    if (fresh == null) {
      return State.LOST;
    }
    hold.release();
    hold = fresh;
    return State.RETAKEN;
  }

  @Override
  public synchronized void close() {
    if (hold != null) {
      hold.release();
      hold = null;
    }
  }

  /**
   * Locks the file at the path, or returns null when another process holds it. The file may be
   * deleted or replaced between opening and locking it; a lock on a file nobody can find by name
   * keeps nobody out, so then it tries again with the file the name leads to now.
   */
  private static Hold take(Path path) throws IOException {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Hold hold = LIBC != null ? flock(path) : channelLock(path);
      if (hold == null) {
        return null;
      }
      if (sameFile(hold, path)) {
        return hold;
      }
      hold.release();
    }
    throw new IOException("the lock file kept being replaced while it was being locked");
  }

  private static Hold flock(Path path) throws IOException {
    int fd = LIBC.open(path.toString(), O_RDWR | O_CREAT, 0644);
    if (fd < 0) {
      throw new IOException("cannot open the lock file (errno " + Native.getLastError() + ")");
    }
    if (LIBC.flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int errno = Native.getLastError();
      LIBC.close(fd);
      if (errno == EWOULDBLOCK) {
        return null;
      }
      throw new IOException("flock failed (errno " + errno + ")");
    }
    Object key;
    try {
      key = PROC_FDS ? Files.readAttributes(Path.of("/proc/self/fd/" + fd), BasicFileAttributes.class).fileKey()
          : keyAt(path);
    } catch (IOException e) {
      LIBC.close(fd);
      throw e;
    }
    return new Hold() {
      @Override
      public Object fileKey() {
        return key;
      }

      @Override
      public void release() {
        LIBC.flock(fd, LOCK_UN);
        LIBC.close(fd);
      }
    };
  }

  // Without libc access the lock still keeps a second execlog server out, not the Python library.
  private static Hold channelLock(Path path) throws IOException {
    FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException heldInThisProcess) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      return null;
    }
    Object key = keyAt(path);
    return new Hold() {
      @Override
      public Object fileKey() {
        return key;
      }

      @Override
      public void release() {
        try {
          channel.close();
        } catch (IOException ignored) {
          // closing the channel drops the lock even when close reports an error
        }
      }
    };
  }

  // A file system without file keys cannot tell; then the lock is taken to be on the file at the path.
  private static boolean sameFile(Hold hold, Path path) throws IOException {
    return hold.fileKey() == null || hold.fileKey().equals(keyAt(path));
  }

  /** The identity (device and inode) of the file at the path, or null when there is none. */
  private static Object keyAt(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static CLib loadLibc() {
    try {
      return Native.load("c", CLib.class);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return null;
    }
  }
}
