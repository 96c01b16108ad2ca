package dev.execlog.server.ops;

import dev.execlog.server.model.ExecLogException;

/**
 * Where a long operation reports how far it is, and learns whether its caller has gone away.
 * Implementations rate-limit what they forward; callers may report as often as they like.
 */
public interface ProgressSink {

  void report(String stage, long done, long total, String message);

  /**
   * Reports that the operation's change is durable: the stage {@value #COMMITTED}, sent once, right
   * after the commit and before anything else the operation sends. A client that is interrupted after
   * it knows the change was made; one interrupted before it can cancel, and nothing changes.
   */
  default void committed(long count, String message) {
    report(COMMITTED, count, count, message);
  }

  /** The stage of the event {@link #committed} sends. */
  String COMMITTED = "committed";

  /** True once the caller cancelled or its deadline passed; the operation then stops unchanged. */
  boolean cancelled();

  /** Throws CANCELLED when the caller has gone away. */
  default void checkCancelled() {
    if (cancelled()) {
      throw ExecLogException.cancelled("the call was cancelled; nothing was changed");
    }
  }

  ProgressSink NONE = new ProgressSink() {
    @Override
    public void report(String stage, long done, long total, String message) {}

    @Override
    public boolean cancelled() {
      return false;
    }
  };
}
