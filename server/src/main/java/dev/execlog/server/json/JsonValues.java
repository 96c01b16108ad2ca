package dev.execlog.server.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.execlog.server.model.ExecLogException;

/**
 * JSON values of keys the spec does not define (a run's {@code notes}, a file entry's
 * {@code added_at}): read and written so that they survive unchanged. Numbers keep their digits
 * ({@code 0.300000000000000}, {@code 12345678901234567890}), and NaN, which Python's json module
 * writes, stays NaN.
 */
public final class JsonValues {

  /** The mapper for the log file and for extra values: exact numbers, NaN allowed both ways. */
  public static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      // Letters outside the Basic Multilingual Plane go to the file as UTF-8, not as escaped halves.
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
      .build();

  private JsonValues() {}

  /** Parses one JSON text from a request; anything else is INVALID_ARGUMENT naming {@code field}. */
  public static JsonNode parse(String text, String field) {
    if (text == null || text.isBlank()) {
      throw ExecLogException.invalid(field, "must be a JSON value, such as \"\\\"text\\\"\", 42 or {\"a\": 1}; got nothing");
    }
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw ExecLogException.invalid(field, "must be one JSON value");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw ExecLogException.invalid(field, "is not one JSON value: " + e.getOriginalMessage());
    }
  }

  /** The compact JSON text of a value. */
  public static String text(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
