package dev.execlog.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/** Parses the CLI's --json output back, as a script would. */
final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static JsonNode one(String out) {
    List<JsonNode> all = lines(out);
    if (all.size() != 1) {
      throw new AssertionError("expected one JSON line, got " + all.size() + ": " + out);
    }
    return all.get(0);
  }

  /** One object per line, as lists and streams are printed. */
  static List<JsonNode> lines(String out) {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : out.lines().toList()) {
      try {
        nodes.add(MAPPER.readTree(line));
      } catch (JsonProcessingException e) {
        throw new AssertionError("not a JSON line: " + line, e);
      }
    }
    return nodes;
  }
}
