package dev.execlog.cli;

import java.io.Console;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** The option of the long operations that show progress, and the one place the display is chosen. */
public final class ProgressOptions {

  @Option(names = "--no-progress", description = "Print one plain line per stage instead of a live progress bar.")
  boolean noProgress;

  /**
   * Chooses the progress display once: a live bar only when a person watches a terminal, since the
   * bar's carriage returns and colours garble logs and pipes.
   */
  Progress open(String operation, PrintWriter err) {
    return !noProgress && interactive() ? new BarProgress(err) : new PlainProgress(operation, err);
  }

  /**
   * Java 17 has no console unless stdin and stdout are terminals; Java 22+ always has one and says
   * through {@code isTerminal()} whether it really is a terminal.
   */
  private static boolean interactive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException java17) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
