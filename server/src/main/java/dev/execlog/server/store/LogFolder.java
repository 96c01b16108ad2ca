package dev.execlog.server.store;

import dev.execlog.server.json.LogFileCodec;
import dev.execlog.server.json.LogSnapshot;
import dev.execlog.server.model.ExecLogException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Folds the journal into the JSON log file: takes a snapshot and switches the journal to a new
 * segment in one short exclusive step, then writes the snapshot to a temporary file, forces it to
 * disk and renames it over the log (atomic: a reader sees the old file or the new one, never half
 * of one), and only then deletes the folded segments.
 */
final class LogFolder {

  private static final Logger LOG = Logger.getLogger(LogFolder.class.getName());
  /** The share of one core the background fold may take, in percent. */
  static final int FOLD_SHARE_PERCENT = 10;

  private final StoreConfig config;
  private final LogPaths paths;
  private final LogFileCodec codec;
  private final Journal journal;
  private final Runnable beforeFold;
  private final Object foldLock = new Object();
  private final Object pauseLock = new Object();
  private volatile boolean dirty;
  /** The log file as the last fold left it (or as the server found it), to notice others' changes. */
  private volatile FileIdentity lastWritten;
  private volatile boolean stopped;
  private Thread thread;
  private final FoldLag lag = new FoldLag();

  /** @param beforeFold throws when the log file must not be written now (the server lost its lock) */
  LogFolder(StoreConfig config, LogPaths paths, LogFileCodec codec, Journal journal, Runnable beforeFold) {
    this.config = config;
    this.paths = paths;
    this.codec = codec;
    this.journal = journal;
    this.beforeFold = beforeFold;
  }

  void start(WriteBatcher batcher) {
    thread = new Thread(() -> loop(batcher), "execlog-folder");
    thread.setDaemon(true);
    thread.start();
  }

  /** Seconds the oldest change not yet in the log file has waited; 0 when the file shows every change. */
  double lagSeconds() {
    return lag.seconds();
  }

  void markDirty() {
    lag.changed();
    dirty = true;
  }

  private void loop(WriteBatcher batcher) {
    long pause = config.foldInterval().toMillis();
    while (!stopped) {
      try {
        synchronized (pauseLock) {
          if (!stopped) {
            pauseLock.wait(pause);
          }
        }
      } catch (InterruptedException e) {
        return;
      }
      if (!dirty || stopped) {
        continue;
      }
      long started = System.nanoTime();
      try {
        foldOnce(batcher);
      } catch (RuntimeException e) {
        if (e instanceof ExecLogException refused && "LOG_IN_USE".equals(refused.reason())) {
          return; // another process has the log now; the guard has said so, and nothing may be written
        }
        LOG.log(Level.WARNING, "folding the journal into the log file failed; will retry", e);
      }
      // A background chore: rewriting a large file takes at most a tenth of one core, so on a small
      // machine the writes it follows keep the rest. The file then trails by at most about
      // max(fold interval, 10 x the time one fold takes); the journal holds every change meanwhile.
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      pause = Math.max(config.foldInterval().toMillis(), tookMillis * (100 / FOLD_SHARE_PERCENT - 1));
    }
  }

  /** Switches the journal to a new segment, then writes everything before it into the file. */
  void foldOnce(WriteBatcher batcher) {
    synchronized (foldLock) {
      dirty = false;
      boolean written = false;
      try {
        LogSnapshot snapshot = batcher.submit(new WriteBatcher.Op<LogSnapshot>() {
          @Override
          public LogSnapshot apply(Batch batch) {
            batch.requestRotation();
            lag.foldStarted();
            return batch.snapshot();
          }

          @Override
          public boolean exclusive() {
            return true;
          }
        });
        foldNow(snapshot, journal.currentSegment());
        written = true;
      } finally {
        lag.foldFinished(written);
      }
    }
  }

  /** Writes the snapshot as the log file and drops the journal segments numbered below {@code keepFrom}. */
  void foldNow(LogSnapshot snapshot, long keepFrom) {
    synchronized (foldLock) {
      // The file itself, not a symbolic link to it: renaming over a link would replace the link.
      Path target = paths.file();
      Path temporary = paths.temporary();
      boolean renamed = false;
      long started = System.nanoTime();
      try {
        beforeFold.run();
        writeForced(snapshot, temporary);
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        renamed = true;
        lastWritten = FileIdentity.of(target);
        config.metrics().folded(System.nanoTime() - started, lastWritten.size());
        journal.syncDirectory();
        journal.deleteBefore(keepFrom);
      } catch (IOException e) {
        throw ExecLogException.storage("could not " + (renamed ? "finish the fold of " : "write ")
            + target + ": " + e.getMessage() + "; the journal keeps every change", e);
      } finally {
        if (!renamed) {
          dirty = true;
          try {
            Files.deleteIfExists(temporary);
          } catch (IOException ignored) {
            // the next fold overwrites it
          }
        }
      }
    }
  }

  /**
   * Creates the file anew (O_EXCL): anything already at the name is removed first, and a link planted
   * there after that makes the fold fail instead of writing the log wherever the link points.
   */
  private void writeForced(LogSnapshot snapshot, Path file) throws IOException {
    Files.deleteIfExists(file);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
         OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
      codec.write(out, snapshot, null);
      out.flush();
      channel.force(true);
    }
  }

  /** Takes the log file found at start, which no fold has written yet, as the one to keep. */
  void adopt(FileIdentity found) {
    lastWritten = found;
  }

  /**
   * How the log file or the journal differs from what this server wrote (deleted, replaced, cut
   * short, changed), or null. Checked under the fold's lock, so a fold in progress is never taken for
   * someone else's change.
   */
  String damage() throws IOException {
    synchronized (foldLock) {
      FileIdentity expected = lastWritten;
      String change = expected == null ? null : expected.changeTo(FileIdentity.of(paths.file()), paths.file());
      return change != null ? change : journal.damage();
    }
  }

  void stop() {
    // Woken, not interrupted: an interrupt would close the fold's file channel halfway through.
    synchronized (pauseLock) {
      stopped = true;
      pauseLock.notifyAll();
    }
    if (thread != null) {
      try {
        thread.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
