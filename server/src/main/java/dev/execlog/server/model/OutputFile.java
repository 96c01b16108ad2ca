package dev.execlog.server.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A file a run wrote; {@code type} and {@code description} are empty for a bare path.
 * {@code extraFields} holds the entry's other keys (such as the library's {@code added_at}).
 */
public record OutputFile(String path, String type, String description, Map<String, JsonNode> extraFields) {

  public OutputFile {
    extraFields = Execution.orderedCopy(extraFields);
  }

  public OutputFile(String path, String type, String description) {
    this(path, type, description, Map.of());
  }
}
