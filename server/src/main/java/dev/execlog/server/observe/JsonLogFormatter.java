package dev.execlog.server.observe;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per line, for log shippers: time, level, logger, message, the stack trace when
 * there is one, and the fields of a record whose only parameter is a map (the audit trail's).
 */
public final class JsonLogFormatter extends Formatter {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String format(LogRecord record) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", Instant.ofEpochMilli(record.getMillis()).toString());
    line.put("level", LogSetup.levelName(record.getLevel()));
    line.put("logger", record.getLoggerName());
    line.put("message", formatMessage(record));
    Object[] parameters = record.getParameters();
    if (parameters != null && parameters.length == 1 && parameters[0] instanceof Map<?, ?> fields) {
      fields.forEach((k, v) -> line.putIfAbsent(String.valueOf(k), v));
    }
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      line.put("error", trace.toString());
    }
    try {
      return JSON.writeValueAsString(line) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      return "{\"level\":\"error\",\"message\":\"unloggable record\"}" + System.lineSeparator();
    }
  }
}
