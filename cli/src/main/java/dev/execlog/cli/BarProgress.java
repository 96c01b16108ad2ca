package dev.execlog.cli;

import dev.execlog.client.model.ProgressEvent;
import java.io.PrintWriter;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A live progress bar on stderr, one bar per stage of the operation. */
final class BarProgress implements Progress {

  private final PrintWriter err;
  private ProgressBar bar;
  private String stage;

  BarProgress(PrintWriter err) {
    this.err = err;
  }

  @Override
  public synchronized void onProgress(ProgressEvent event) {
    if (!event.stage().equals(stage)) {
      finishBar();
      stage = event.stage();
      bar = new ProgressBarBuilder()
          .setTaskName(event.stage())
          // a total of 0 means "not known in advance": an indefinite bar
          .setInitialMax(event.total() > 0 ? event.total() : -1)
          .setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis(100)
          .setConsumer(new DelegatingProgressBarConsumer(this::render, width()))
          .build();
    }
    if (event.total() > 0 && event.total() != bar.getMax()) {
      bar.maxHint(event.total());
    }
    bar.stepTo(event.done());
    bar.setExtraMessage(event.message());
  }

  private void render(String line) {
    // through the err writer, so every byte of the CLI goes through picocli's writers
    err.print('\r' + line);
    err.flush();
  }

  private void finishBar() {
    if (bar != null) {
      bar.close();
      err.println();
      err.flush();
      bar = null;
    }
  }

  @Override
  public synchronized void close() {
    finishBar();
  }

  /** The terminal's width from COLUMNS, else 80: asking the terminal would need a native library. */
  private static int width() {
    try {
      String columns = System.getenv("COLUMNS");
      return columns == null ? 80 : Math.max(40, Integer.parseInt(columns.trim()));
    } catch (NumberFormatException e) {
      return 80;
    }
  }
}
