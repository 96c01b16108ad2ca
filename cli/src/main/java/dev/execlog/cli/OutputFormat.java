package dev.execlog.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
  /** Quotes only the cells that need it, as spreadsheets and the reference library's CSV do. */
  private static final CsvMapper CSV = CsvMapper.builder()
      .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
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

  /**
   * Items as CSV (RFC 4180: CRLF rows, quoted where needed) with a header row of every top-level
   * key, in first-seen order; nested values as compact JSON, absent and null values empty.
   */
  static String csv(List<JsonNode> items, boolean header) {
    Set<String> keys = new LinkedHashSet<>();
    items.forEach(i -> i.fieldNames().forEachRemaining(keys::add));
    CsvSchema.Builder columns = CsvSchema.builder().setUseHeader(header).setLineSeparator("\r\n");
    keys.forEach(columns::addColumn);
    List<Map<String, String>> rows = new ArrayList<>();
    for (JsonNode item : items) {
      Map<String, String> row = new LinkedHashMap<>();
      for (String k : keys) {
        JsonNode v = item.get(k);
        row.put(k, v == null || v.isNull() ? "" : v.isContainerNode() ? json(v) : v.asText());
      }
      rows.add(row);
    }
    try {
      return CSV.writer(columns.build()).writeValueAsString(rows);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write CSV", e);
    }
  }

  static String json(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }
}
