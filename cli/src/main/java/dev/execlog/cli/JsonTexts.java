package dev.execlog.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Optional;

/**
 * Reads the JSON texts of extra keys. Numbers stay exact ({@code 0.30} is not turned into
 * {@code 0.3}, {@code 241} not into {@code 241.0}), since the log file keeps them as written.
 */
final class JsonTexts {

  private static final ObjectMapper EXACT = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build();

  private JsonTexts() {}

  /** The value of one JSON text, or empty when the text is not exactly one JSON value. */
  static Optional<JsonNode> parse(String text) {
    try {
      JsonNode value = EXACT.readTree(text);
      return value == null || value.isMissingNode() ? Optional.empty() : Optional.of(value);
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** The value as JSON, kept as a JSON string of its text when it does not parse. */
  static JsonNode value(String text) {
    return parse(text).orElseGet(() -> JsonNodeFactory.instance.textNode(text));
  }

  /** For people: a string without its quotes, anything else as compact JSON on one line. */
  static String human(String text) {
    return parse(text).map(v -> v.isTextual() ? v.textValue() : compact(v)).orElse(text);
  }

  private static String compact(JsonNode value) {
    try {
      return EXACT.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
