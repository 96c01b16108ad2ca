package dev.execlog.cli;

import dev.execlog.client.model.ProgressEvent;
import java.io.PrintWriter;

/**
 * Progress for logs and pipes: one line per stage, printed when the stage is over, with its last
 * message and counts; the commit of a cleanup or import at once, as it is the moment that decides
 * what an interrupt means. No carriage returns, no colours.
 */
final class PlainProgress implements Progress {

  private final String operation;
  private final PrintWriter err;
  private ProgressEvent last;

  PlainProgress(String operation, PrintWriter err) {
    this.operation = operation;
    this.err = err;
  }

  @Override
  public synchronized void onProgress(ProgressEvent event) {
    if (last != null && !last.stage().equals(event.stage())) {
      print(last);
    }
    last = event;
    if (event.committed()) {
      print(event);
      last = null;
    }
  }

  @Override
  public synchronized void close() {
    if (last != null) {
      print(last);
      last = null;
    }
  }

  private void print(ProgressEvent e) {
    String counts = e.total() > 0 ? " (" + e.done() + "/" + e.total() + ")" : e.done() > 0 ? " (" + e.done() + ")" : "";
    err.println("execlog: " + operation + ": " + e.stage() + ": " + e.message() + counts);
    err.flush();
  }
}
