package dev.execlog.cli;

import dev.execlog.client.ProgressListener;
import dev.execlog.client.model.ProgressEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Passes a cleanup's or import's progress to the display, tells the session when the server
 * reports the commit, and keeps the removed run ids as they arrive, so a command interrupted after
 * the commit can still print the ids it received.
 */
final class CommitTracker implements ProgressListener {

  private final ProgressListener display;
  private final Session session;
  private final LongFunction<String> describeChange;
  private final List<String> removedRuns = new ArrayList<>();
  private long committedCount = -1;

  /**
   * @param describeChange the change in words from its count, such as "the cleanup removed 12 runs"
   */
  CommitTracker(ProgressListener display, Session session, LongFunction<String> describeChange) {
    this.display = display;
    this.session = session;
    this.describeChange = describeChange;
  }

  @Override
  public void onProgress(ProgressEvent event) {
    if (event.committed()) {
      committedCount = event.done();
      session.committed(describeChange.apply(event.done()));
    }
    display.onProgress(event);
  }

  @Override
  public void onRemovedRuns(List<String> runIds) {
    removedRuns.addAll(runIds);
  }

  /** The runs the server said it removed, so far. */
  List<String> removedRuns() {
    return removedRuns;
  }

  /** The count the commit reported, or -1 before it. */
  long committedCount() {
    return committedCount;
  }
}
