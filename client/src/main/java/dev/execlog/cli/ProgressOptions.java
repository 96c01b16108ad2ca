package dev.execlog.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** The option of the long operations that show progress. */
public final class ProgressOptions {

  @Option(names = "--no-progress", description = "Print one plain line per stage instead of a live progress bar.")
  boolean noProgress;

  /**
   * Chooses the progress display once: a live bar only when a person watches a terminal, since the
   * bar's carriage returns and colours garble logs and pipes.
   */
  Progress open(String operation, PrintWriter err) {
    boolean interactive = System.console() != null && !noProgress;
    return interactive ? new BarProgress(err) : new PlainProgress(operation, err);
  }
}
