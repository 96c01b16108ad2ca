package dev.execlog.server.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.ErrorManager;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LineHandlerTest {

  @Test
  void textLine_carriesTimeLevelLoggerAndTheMessageAsLogged() {
    LogRecord record = new LogRecord(Level.INFO, "audit: alice (writer) RecordExecution run {0} of t_{1}");
    record.setLoggerName("execlog.audit");
    record.setParameters(new Object[] {Map.of("event", "changed")});
    String line = new TextLogFormatter().format(record);
    assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4} INFO execlog\\.audit: "
        + "audit: alice \\(writer\\) RecordExecution run \\{0\\} of t_\\{1\\}" + System.lineSeparator()), line);
  }

  @Test
  void textLine_endsWithTheStackTraceOfAThrown() {
    LogRecord record = new LogRecord(Level.SEVERE, "writer failed");
    record.setLoggerName("execlog.store");
    record.setThrown(new IllegalStateException("disk gone"));
    String[] lines = new TextLogFormatter().format(record).split(System.lineSeparator());
    assertTrue(lines[0].endsWith(" SEVERE execlog.store: writer failed"), lines[0]);
    assertEquals("java.lang.IllegalStateException: disk gone", lines[1]);
    assertTrue(lines[2].trim().startsWith("at "), lines[2]);
  }

  @Test
  void concurrentRecords_eachLineWholeAndNoneLost() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LineHandler handler = new LineHandler(out, true);
    handler.setFormatter(new TextLogFormatter());
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int writer = t;
      threads.add(startThread(() -> {
        for (int i = 0; i < 500; i++) {
          LogRecord record = new LogRecord(Level.INFO, "writer " + writer + " line " + i + " " + "x".repeat(200));
          record.setLoggerName("execlog.audit");
          handler.publish(record);
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    String[] lines = out.toString(StandardCharsets.UTF_8).split(System.lineSeparator());
    assertEquals(4000, lines.length);
    for (String line : lines) {
      assertTrue(line.matches(".* INFO execlog\\.audit: writer \\d line \\d+ x{200}"), line);
    }
  }

  @Test
  void afterClose_furtherRecordsAreDroppedQuietly() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    LineHandler handler = new LineHandler(out, true);
    handler.setFormatter(new TextLogFormatter());
    List<String> errors = new ArrayList<>();
    handler.setErrorManager(new ErrorManager() {
      @Override
      public synchronized void error(String msg, Exception ex, int code) {
        errors.add(code + " " + ex);
      }
    });
    handler.close();
    LogRecord late = new LogRecord(Level.INFO, "late");
    late.setLoggerName("execlog.audit");
    handler.publish(late);
    handler.flush();
    assertEquals(0, out.size());
    assertEquals(List.of(), errors);
  }

  private static Thread startThread(Runnable body) {
    Thread thread = new Thread(body);
    thread.start();
    return thread;
  }
}
