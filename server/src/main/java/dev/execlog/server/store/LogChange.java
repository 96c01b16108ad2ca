package dev.execlog.server.store;

import dev.execlog.server.model.Execution;

/**
 * One committed change to the log, published after it is durable, in commit order.
 *
 * @param kind what happened
 * @param execution the run as it now is (RECORDED, UPDATED) or as it was (REMOVED)
 * @param sequence a number that grows by one with each change since the server started
 */
public record LogChange(Kind kind, Execution execution, long sequence) {

  /** What happened to the run. */
  public enum Kind { RECORDED, UPDATED, REMOVED }
}
