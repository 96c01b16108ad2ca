package dev.execlog.server.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A file a run read: one entry of the spec's {@code input_datasets}. {@code extraFields} holds the
 * entry's keys beyond {@code name} and {@code path} (such as the library's {@code added_at}).
 */
public record InputFile(String name, String path, Map<String, JsonNode> extraFields) {

  public InputFile {
    extraFields = Execution.orderedCopy(extraFields);
  }

  public InputFile(String name, String path) {
    this(name, path, Map.of());
  }
}
