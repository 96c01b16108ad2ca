package dev.execlog.server.store;

import dev.execlog.server.model.Execution;
import java.util.List;

/**
 * One page of history, newest first.
 *
 * @param next where the next page starts, or null when this is the last page
 */
public record HistoryPage(List<Execution> executions, Position next) {

  /** A place in the newest-first order: after the run with this time and order of recording. */
  public record Position(long timeMicros, long seq) {}
}
