package dev.execlog.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The lines the server writes to the {@code execlog.audit} log during a test. */
public final class AuditLines implements BeforeEachCallback, AfterEachCallback {

  private final Logger audit = Logger.getLogger("execlog.audit");
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      lines.add(record.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @Override
  public void beforeEach(ExtensionContext context) {
    audit.addHandler(capture);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    audit.removeHandler(capture);
  }

  /** Every line so far, live. */
  public List<String> lines() {
    return lines;
  }

  public void clear() {
    lines.clear();
  }
}
