package dev.execlog.server.observe;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Writes each record to a stream as soon as it is logged, flushed, like JUL's console and file
 * handlers, but formats it before taking the lock: with one audit line per change, 32 concurrent
 * writers would otherwise queue behind each other's formatting, not just behind the write itself.
 * A file is opened for appending as named; JUL's file handler would expand {@code %t} or {@code %h}
 * in an operator's path and keep a lock file beside it.
 */
final class LineHandler extends Handler {

  private final OutputStream out;
  private final boolean owned;
  /** Set by close: JUL's shutdown hook closes handlers while late calls may still log. */
  private boolean closed;

  /** @param owned whether {@link #close()} closes the stream (a file) or only flushes it (stderr) */
  LineHandler(OutputStream out, boolean owned) {
    this.out = out;
    this.owned = owned;
  }

  @Override
  public void publish(LogRecord record) {
    if (!isLoggable(record)) {
      return;
    }
    byte[] line;
    try {
      line = getFormatter().format(record).getBytes(StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      reportError(null, e, ErrorManager.FORMAT_FAILURE);
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      try {
        out.write(line);
        out.flush();
      } catch (IOException e) {
        reportError(null, e, ErrorManager.WRITE_FAILURE);
      }
    }
  }

  @Override
  public synchronized void flush() {
    if (closed) {
      return;
    }
    try {
      out.flush();
    } catch (IOException e) {
      reportError(null, e, ErrorManager.FLUSH_FAILURE);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    flush();
    closed = owned;
    if (owned) {
      try {
        out.close();
      } catch (IOException e) {
        reportError(null, e, ErrorManager.CLOSE_FAILURE);
      }
    }
  }
}
