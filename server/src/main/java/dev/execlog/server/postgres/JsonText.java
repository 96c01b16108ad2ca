package dev.execlog.server.postgres;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execlog.server.json.JsonValues;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps of values execlog does not interpret, as the JSON text kept in the {@code *_json} columns:
 * keys in their order, numbers spelled as they came (the log file's mapper), NaN allowed.
 */
final class JsonText {

  private JsonText() {}

  /** The map as a JSON object, or null for an empty map. */
  static String of(Map<String, JsonNode> values) {
    if (values.isEmpty()) {
      return null;
    }
    ObjectNode node = JsonValues.MAPPER.createObjectNode();
    values.forEach(node::set);
    return JsonValues.text(node);
  }

  /** Strings (raw values of spec keys) as a JSON object, or null for an empty map. */
  static String ofStrings(Map<String, String> values) {
    if (values.isEmpty()) {
      return null;
    }
    ObjectNode node = JsonValues.MAPPER.createObjectNode();
    values.forEach(node::put);
    return JsonValues.text(node);
  }

  /** The map a column holds, in key order; empty for null. */
  static Map<String, JsonNode> read(String text) {
    if (text == null) {
      return Map.of();
    }
    Map<String, JsonNode> values = new LinkedHashMap<>();
    try (JsonParser p = JsonValues.MAPPER.createParser(text)) {
      expect(p.nextToken() == JsonToken.START_OBJECT, text);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        p.nextToken();
        values.put(key, JsonValues.readExact(p));
      }
    } catch (IOException e) {
      throw new IllegalStateException("a stored JSON column is not a JSON object: " + e.getMessage(), e);
    }
    return values;
  }

  static Map<String, String> readStrings(String text) {
    Map<String, String> values = new LinkedHashMap<>();
    read(text).forEach((k, v) -> values.put(k, v.asText()));
    return values;
  }

  private static void expect(boolean ok, String text) {
    if (!ok) {
      throw new IllegalStateException("a stored JSON column is not a JSON object: " + text);
    }
  }
}
