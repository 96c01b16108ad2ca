package dev.execlog.cli;

import java.io.StringWriter;
import java.io.Writer;
import java.util.concurrent.CountDownLatch;

/** A stdout whose writes wait until released, like a terminal nobody reads. */
final class StalledWriter extends Writer {
  final CountDownLatch release = new CountDownLatch(1);
  final StringWriter written = new StringWriter();

  @Override
  public void write(char[] chars, int off, int len) {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    written.write(chars, off, len);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
