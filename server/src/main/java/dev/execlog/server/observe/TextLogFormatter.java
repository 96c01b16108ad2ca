package dev.execlog.server.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One text line per record: {@code 2026-12-07T10:15:33+0000 INFO execlog.audit: message}, then a
 * stack trace when there is one. The message is written as logged: no {@code {0}} substitution, so a
 * name in an audit line cannot pull the line's fields into its text, and no {@link String#format}
 * or caller lookup on a path that every change takes.
 */
final class TextLogFormatter extends Formatter {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxx").withZone(ZoneId.systemDefault());

  @Override
  public String format(LogRecord record) {
    StringBuilder line = new StringBuilder(160);
    TIME.formatTo(Instant.ofEpochMilli(record.getMillis()), line);
    line.append(' ').append(record.getLevel().getLocalizedName())
        .append(' ').append(record.getLoggerName())
        .append(": ").append(record.getMessage());
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      PrintWriter out = new PrintWriter(trace);
      out.println();
      record.getThrown().printStackTrace(out);
      out.flush();
      line.append(trace);
    }
    return line.append(System.lineSeparator()).toString();
  }
}
