package dev.execlog.server.store;

import dev.execlog.server.model.ExecLogException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Whether the store may write. When the server cannot keep the log's files as they must be, it
 * refuses writes with the reason (reads go on from memory) and tells its listeners, so health
 * checks report the server as not ready instead of letting clients write into a void.
 */
final class StoreHealth {

  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private volatile ExecLogException refusal;
  /** Set when the journal cannot be written again: only a restart clears it. */
  private boolean permanent;

  boolean writable() {
    return refusal == null;
  }

  /** Throws the reason writes are refused, if they are. */
  void requireWritable() {
    ExecLogException reason = refusal;
    if (reason != null) {
      // A fresh exception per caller: the stored one would gather every caller's suppressed errors.
      throw new ExecLogException(reason.reason(), reason.metadata(), reason.getMessage(), null);
    }
  }

  void refuse(ExecLogException reason) {
    boolean changed;
    synchronized (this) {
      changed = refusal == null;
      refusal = reason;
    }
    if (changed) {
      listeners.forEach(Runnable::run);
    }
  }

  /** Refuses writes until the server restarts, whatever later checks find. */
  void refuseForGood(ExecLogException reason) {
    synchronized (this) {
      permanent = true;
    }
    refuse(reason);
  }

  void restore() {
    boolean changed;
    synchronized (this) {
      if (permanent) {
        return;
      }
      changed = refusal != null;
      refusal = null;
    }
    if (changed) {
      listeners.forEach(Runnable::run);
    }
  }

  void addListener(Runnable listener) {
    listeners.add(listener);
  }
}
