package dev.execlog.cli;

import dev.execlog.client.model.ProgressEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * A live progress line on stderr, one per stage of the operation, as wide as the terminal is now
 * (asked at every redraw, so it follows a resize). A finished stage is replaced by one line with
 * its total and its time, such as {@code scan: 12,000 runs to remove (12,000/12,000) in 1.4s}.
 * Stages that count bytes show them in KiB, MiB, GiB.
 */
final class BarProgress implements Progress {

  /** Stages whose counts are bytes. */
  static final Set<String> BYTE_STAGES = Set.of("receive", "upload", "send", "download");
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter err;
  private final IntSupplier width;
  private final AutoCloseable terminal;
  private ProgressEvent last;
  private long stageStart;
  private long lastDraw;
  private int drawn;

  BarProgress(PrintWriter err) {
    this(err, TerminalWidth.open());
  }

  private BarProgress(PrintWriter err, TerminalWidth width) {
    this(err, width, width);
  }

  /** @param width the terminal's width in columns, asked at every redraw */
  BarProgress(PrintWriter err, IntSupplier width, AutoCloseable terminal) {
    this.err = err;
    this.width = width;
    this.terminal = terminal;
  }

  @Override
  public synchronized void onProgress(ProgressEvent event) {
    long now = System.nanoTime();
    if (last != null && !last.stage().equals(event.stage())) {
      finishStage(now);
    }
    if (last == null) {
      stageStart = now;
      lastDraw = 0;
    }
    last = event;
    if (lastDraw == 0 || now - lastDraw >= REDRAW_NANOS) {
      lastDraw = now;
      draw(line(event, width.getAsInt(), Duration.ofNanos(now - stageStart)));
    }
  }

  private void draw(String line) {
    // Through the err writer, so every byte of the CLI goes through picocli's writers.
    err.print('\r' + line + " ".repeat(Math.max(0, drawn - line.length())));
    err.flush();
    drawn = line.length();
  }

  private void finishStage(long now) {
    draw(finished(last, Duration.ofNanos(now - stageStart), width.getAsInt()));
    err.println();
    err.flush();
    drawn = 0;
    last = null;
  }

  @Override
  public synchronized void close() {
    if (last != null) {
      finishStage(System.nanoTime());
    }
    try {
      terminal.close();
    } catch (Exception e) {
      // only the width was read from it
    }
  }

  /** The live line: stage, bar, percentage, counts and time, cut to {@code columns - 1}. */
  static String line(ProgressEvent e, int columns, Duration elapsed) {
    String counts = count(e.stage(), e.done()) + (e.total() > 0 ? "/" + count(e.stage(), e.total()) : "");
    String left = e.stage() + " ";
    String right = (e.total() > 0 ? String.format(Locale.ROOT, " %3d%%", Math.min(100, e.done() * 100 / e.total()))
        : "") + " " + counts + " " + HumanFormat.duration(elapsed);
    int bar = columns - 1 - left.length() - right.length() - 2;
    if (bar < 10) {
      return cut(left + counts + " " + HumanFormat.duration(elapsed), columns);
    }
    StringBuilder b = new StringBuilder(left).append('[');
    if (e.total() > 0) {
      int filled = (int) Math.min(bar, e.done() * bar / e.total());
      b.append("=".repeat(filled)).append(filled < bar ? ">" : "").append(" ".repeat(Math.max(0, bar - filled - 1)));
    } else {
      // Not known in advance: a marker moving to and fro with time.
      int span = bar - 3;
      int step = (int) (elapsed.toMillis() / 100 % (2L * Math.max(1, span)));
      int at = step <= span ? step : 2 * span - step;
      b.append(" ".repeat(at)).append("<=>").append(" ".repeat(Math.max(0, bar - at - 3)));
    }
    return cut(b.append(']').append(right).toString(), columns);
  }

  /** The line a finished stage leaves: its message, its total and its time. */
  static String finished(ProgressEvent e, Duration elapsed, int columns) {
    String counts = e.total() > 0 ? count(e.stage(), e.done()) + "/" + count(e.stage(), e.total())
        : count(e.stage(), e.done());
    return cut(e.stage() + ": " + (e.message().isEmpty() ? "done" : e.message()) + " (" + counts + ") in "
        + HumanFormat.duration(elapsed), columns);
  }

  /** A count as people read it: 12,345; bytes as 1.5 MiB. */
  static String count(String stage, long n) {
    return BYTE_STAGES.contains(stage) ? HumanFormat.size(n) : String.format(Locale.ROOT, "%,d", n);
  }

  private static String cut(String line, int columns) {
    return line.length() < columns ? line : line.substring(0, Math.max(0, columns - 1));
  }

  /**
   * The terminal's width through JLine (which follows resizes), else COLUMNS, else 80. Opened once
   * per progress display and closed with it.
   */
  static final class TerminalWidth implements IntSupplier, AutoCloseable {
    private final Terminal terminal;

    private TerminalWidth(Terminal terminal) {
      this.terminal = terminal;
    }

    static TerminalWidth open() {
      try {
        return new TerminalWidth(TerminalBuilder.builder().system(true).dumb(true).build());
      } catch (IOException | RuntimeException e) {
        return new TerminalWidth(null);
      }
    }

    @Override
    public int getAsInt() {
      int w = terminal == null ? 0 : terminal.getWidth();
      if (w > 0) {
        return w;
      }
      try {
        String columns = System.getenv("COLUMNS");
        return columns == null ? 80 : Math.max(20, Integer.parseInt(columns.trim()));
      } catch (NumberFormatException e) {
        return 80;
      }
    }

    @Override
    public void close() throws IOException {
      if (terminal != null) {
        terminal.close();
      }
    }
  }
}
