package dev.execlog.server.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The top-level keys of the log file besides {@code tasks} and {@code executions}.
 *
 * @param createdText the file's {@code timestamp}, kept as written
 * @param version the file's {@code version}
 * @param extraFields top-level keys the server does not know, written back unchanged
 * @param taskExtraFields per task id, keys of its {@code tasks} entry the server does not know
 */
public record LogMetadata(
    String createdText,
    String version,
    Map<String, JsonNode> extraFields,
    Map<String, Map<String, JsonNode>> taskExtraFields) {

  public static final String FORMAT_VERSION = "1.0.0";

  public LogMetadata {
    extraFields = Map.copyOf(extraFields);
    taskExtraFields = Map.copyOf(taskExtraFields);
  }
}
