package dev.execlog.server.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    try (JsonParser p = MAPPER.createParser(text)) {
      if (p.nextToken() == null) {
        throw ExecLogException.invalid(field, "must be one JSON value");
      }
      JsonNode node = readExact(p);
      if (p.nextToken() != null) {
        throw ExecLogException.invalid(field, "must be one JSON value; text follows it");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw ExecLogException.invalid(field, "is not one JSON value: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The value at the parser's current token, consumed. A number whose spelling Jackson would write
   * differently ({@code 1e999} as {@code 1E+999}, {@code -0} as {@code 0}) is kept as its own text,
   * so that keys execlog does not know leave the file as they came in.
   */
  public static JsonNode readExact(JsonParser p) throws IOException {
    JsonNodeFactory nodes = MAPPER.getNodeFactory();
    return switch (p.currentToken()) {
      case START_OBJECT -> {
        ObjectNode object = nodes.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          object.set(name, readExact(p));
        }
        yield object;
      }
      case START_ARRAY -> {
        ArrayNode array = nodes.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          array.add(readExact(p));
        }
        yield array;
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> exactNumber(p, nodes);
      case VALUE_STRING -> nodes.textNode(p.getText());
      case VALUE_TRUE, VALUE_FALSE -> nodes.booleanNode(p.getBooleanValue());
      case VALUE_NULL -> nodes.nullNode();
      default -> throw new JsonParseException(p, "expected a JSON value, found " + p.currentToken());
    };
  }

  private static JsonNode exactNumber(JsonParser p, JsonNodeFactory nodes) throws IOException {
    String spelled = p.getText();
    JsonNode standard = p.currentToken() == JsonToken.VALUE_NUMBER_INT ? nodes.numberNode(p.getBigIntegerValue())
        : p.isNaN() ? nodes.numberNode(p.getDoubleValue()) : nodes.numberNode(p.getDecimalValue());
    return text(standard).equals(spelled) ? standard : nodes.rawValueNode(new RawValue(spelled));
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
