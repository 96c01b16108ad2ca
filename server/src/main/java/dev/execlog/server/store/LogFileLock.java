package dev.execlog.server.store;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.execlog.server.model.ExecLogException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The exclusive lock on {@code <log path>.lock}, held while the server runs. It uses {@code flock(2)}
 * because that is what Python's {@code filelock} takes: Java's own {@code FileChannel.lock()} is a
 * POSIX record lock, which {@code flock} does not see, so the reference library would not be kept out.
 */
public final class LogFileLock implements AutoCloseable {

  private interface CLib extends Library {
    int open(String path, int flags, int mode);

    int flock(int fd, int operation);

    int close(int fd);
  }

  private static final int O_RDWR = 02;
  private static final int O_CREAT = 0100;
  private static final int LOCK_EX = 2;
  private static final int LOCK_NB = 4;
  private static final int LOCK_UN = 8;
  private static final int EWOULDBLOCK = 11;

  private final Path path;
  private final CLib lib;
  private final int fd;
  private final FileChannel fallbackChannel;
  private final FileLock fallbackLock;

  private LogFileLock(Path path, CLib lib, int fd, FileChannel channel, FileLock lock) {
    this.path = path;
    this.lib = lib;
    this.fd = fd;
    this.fallbackChannel = channel;
    this.fallbackLock = lock;
  }

  /** Takes the lock at once or fails with a message saying the log is in use. */
  public static LogFileLock acquire(Path lockPath) {
    CLib lib = loadLibc();
    if (lib == null) {
      return acquireWithFileChannel(lockPath);
    }
    int fd = lib.open(lockPath.toString(), O_RDWR | O_CREAT, 0644);
    if (fd < 0) {
      throw ExecLogException.storage("cannot open the lock file " + lockPath + " (errno " + Native.getLastError() + ")", null);
    }
    if (lib.flock(fd, LOCK_EX | LOCK_NB) != 0) {
      int errno = Native.getLastError();
      lib.close(fd);
      if (errno == EWOULDBLOCK) {
        throw inUse(lockPath);
      }
      throw ExecLogException.storage("cannot lock " + lockPath + " (errno " + errno + ")", null);
    }
    return new LogFileLock(lockPath, lib, fd, null, null);
  }

  private static ExecLogException inUse(Path lockPath) {
    return ExecLogException.precondition("LOG_IN_USE", "the execution log is in use: another process holds "
        + lockPath + " (another execlog server, or a program using the Python library)");
  }

  private static CLib loadLibc() {
    try {
      return Native.load("c", CLib.class);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return null;
    }
  }

  // Without libc access the lock still keeps a second execlog server out, not the Python library.
  private static LogFileLock acquireWithFileChannel(Path lockPath) {
    try {
      FileChannel channel = FileChannel.open(lockPath, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw inUse(lockPath);
      }
      return new LogFileLock(lockPath, null, -1, channel, lock);
    } catch (IOException e) {
      throw ExecLogException.storage("cannot lock " + lockPath + ": " + e.getMessage(), e);
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() {
    if (lib != null) {
      lib.flock(fd, LOCK_UN);
      lib.close(fd);
      return;
    }
    try {
      fallbackLock.release();
      fallbackChannel.close();
    } catch (IOException ignored) {
      // the process is going away; the kernel drops the lock with the descriptor
    }
  }
}
