package dev.execlog.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

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
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_./][A-Za-z0-9_./@+-]*( [A-Za-z0-9_./@+()-]+)*");
  private static final Set<String> RESERVED = Set.of("true", "false", "null", "yes", "no", "on", "off", "y", "n",
      "~");

  private OutputFormat() {}

  /** Items as YAML: a sequence when {@code list}, else the one mapping. */
  static String yaml(List<JsonNode> items, boolean list) {
    StringBuilder s = new StringBuilder();
    if (!list) {
      value(items.get(0), 0, s, false);
    } else if (items.isEmpty()) {
      s.append("[]\n");
    } else {
      for (JsonNode item : items) {
        s.append("- ");
        value(item, 2, s, true);
      }
    }
    return s.toString();
  }

  /** Writes {@code n} at {@code indent}; {@code inline} when the line already holds its "- " or "key:". */
  private static void value(JsonNode n, int indent, StringBuilder s, boolean inline) {
    String pad = " ".repeat(indent);
    if (n.isObject() && n.size() > 0) {
      boolean first = true;
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!(first && inline)) {
          s.append(pad);
        }
        first = false;
        s.append(scalarText(e.getKey())).append(':');
        JsonNode v = e.getValue();
        if (v.isObject() && v.size() > 0) {
          s.append('\n');
          value(v, indent + 2, s, false);
        } else if (v.isArray() && v.size() > 0) {
          s.append('\n');
          value(v, indent, s, false);
        } else {
          s.append(' ').append(scalar(v)).append('\n');
        }
      }
    } else if (n.isArray() && n.size() > 0) {
      boolean first = true;
      for (JsonNode item : n) {
        if (!(first && inline)) {
          s.append(pad);
        }
        first = false;
        s.append("- ");
        if (item.isContainerNode() && item.size() > 0) {
          value(item, indent + 2, s, true);
        } else {
          s.append(scalar(item)).append('\n');
        }
      }
    } else {
      s.append(scalar(n)).append('\n');
    }
  }

  private static String scalar(JsonNode v) {
    if (v.isObject()) {
      return "{}";
    }
    if (v.isArray()) {
      return "[]";
    }
    if (v.isTextual()) {
      return scalarText(v.textValue());
    }
    return v.asText();
  }

  /** A string plain when YAML reads it back as that same string, else JSON-quoted (valid YAML). */
  private static String scalarText(String text) {
    if (PLAIN.matcher(text).matches() && !RESERVED.contains(text.toLowerCase())) {
      return text;
    }
    return json(MAPPER.getNodeFactory().textNode(text));
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
