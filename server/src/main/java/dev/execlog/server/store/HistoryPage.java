package dev.execlog.server.store;

import dev.execlog.server.model.Execution;
import java.util.List;

/**
 * One page of history, newest first.
 *
 * @param positions where each run of the page sits, so that a page can end early at any run
 * @param next where the next page starts, or null when this is the last page
 */
public record HistoryPage(List<Execution> executions, List<Position> positions, Position next) {

  /** A place in the newest-first order: after the run with this time and order of recording. */
  public record Position(long timeMicros, long seq) {}

  /** The first {@code count} runs, the next page starting after the last of them. */
  public HistoryPage firstRuns(int count) {
    if (count >= executions.size()) {
      return this;
    }
    return new HistoryPage(executions.subList(0, count), positions.subList(0, count), positions.get(count - 1));
  }
}
