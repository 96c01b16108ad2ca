package dev.execlog.client.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Keys of a run or file entry beyond the spec's own, as the reference library lets callers add
 * them ({@code notes}, {@code metrics}, {@code tags}, {@code added_at}...). Each value is one JSON
 * text exactly as it is stored in the log file: {@code "\"looks good\""}, {@code "241"},
 * {@code "{\"rows\": 100}"}. Texts rather than parsed values, so {@code 0.30} keeps its digits and
 * callers pick their own JSON library.
 */
public final class ExtraFields {

  private ExtraFields() {}

  /** An unmodifiable copy that keeps the given order; null is empty. */
  public static Map<String, String> copyOf(Map<String, String> fields) {
    if (fields == null || fields.isEmpty()) {
      return Map.of();
    }
    Map<String, String> copy = new LinkedHashMap<>();
    fields.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, k)));
    return Collections.unmodifiableMap(copy);
  }

  /** The JSON text of a string value: {@code looks good} becomes {@code "looks good"}, escaped. */
  public static String text(String value) {
    StringBuilder json = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"').toString();
  }
}
