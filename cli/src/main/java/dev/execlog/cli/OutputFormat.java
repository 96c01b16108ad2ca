package dev.execlog.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The machine-readable formats every data command shares, written from the same JSON views
 * ({@link JsonView}) so their field names agree: json (one object per line), yaml (one document, a
 * list for lists), csv (a header row of the top-level keys; nested values as compact JSON).
 */
final class OutputFormat {

  /** The formats of commands that print data. */
  static final List<String> DATA = List.of("table", "json", "yaml", "csv");

  /** For completion of --format. */
  static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of("table", "json", "yaml", "csv", "tree", "dot", "mermaid", "svg").iterator();
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Block style, no "---", quotes only where YAML would read a string as something else. */
  private static final YAMLMapper YAML = YAMLMapper.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build();

  private OutputFormat() {}

  /** Items as YAML: a sequence when {@code list}, else the one mapping. */
  static String yaml(List<JsonNode> items, boolean list) {
    try {
      return YAML.writeValueAsString(list ? MAPPER.valueToTree(items) : items.get(0));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write YAML", e);
    }
  }

  /** Items as CSV (RFC 4180) with a header row of every top-level key, in first-seen order. */
  static String csv(List<JsonNode> items, boolean header) {
    Set<String> keys = new LinkedHashSet<>();
    items.forEach(i -> i.fieldNames().forEachRemaining(keys::add));
    StringBuilder s = new StringBuilder();
    if (header) {
      s.append(csvRow(new ArrayList<>(keys))).append("\r\n");
    }
    for (JsonNode item : items) {
      List<String> cells = new ArrayList<>();
      for (String k : keys) {
        JsonNode v = item.get(k);
        cells.add(v == null || v.isNull() ? "" : v.isContainerNode() ? json(v) : v.asText());
      }
      s.append(csvRow(cells)).append("\r\n");
    }
    return s.toString();
  }

  static String csvRow(List<String> cells) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      if (i > 0) {
        s.append(',');
      }
      if (c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
        s.append('"').append(c.replace("\"", "\"\"")).append('"');
      } else {
        s.append(c);
      }
    }
    return s.toString();
  }

  static String json(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
