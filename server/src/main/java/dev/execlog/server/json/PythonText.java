package dev.execlog.server.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;

/**
 * Values spelled as Python's {@code str()} spells them, for files that must match what the
 * reference library writes (its CSV export writes each value through Python's csv module).
 */
public final class PythonText {

  private PythonText() {}

  /** {@code str(True)}: {@code True} or {@code False}. */
  public static String bool(boolean value) {
    return value ? "True" : "False";
  }

  /**
   * {@code repr(float)}: the shortest digits that read back as the same double, fixed notation for
   * decimal exponents from -4 to 15 ({@code 45.2}, {@code 120.0}), scientific otherwise
   * ({@code 1e-05}, {@code 1.5e+16}).
   */
  public static String floatRepr(double value) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "inf" : "-inf";
    }
    if (value == 0) {
      return (1 / value) < 0 ? "-0.0" : "0.0";
    }
    String sign = value < 0 ? "-" : "";
    BigDecimal exact = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
    String digits = exact.unscaledValue().toString();
    int exponent = digits.length() - 1 - exact.scale();
    if (exponent >= -4 && exponent < 16) {
      String plain = exact.toPlainString();
      return sign + (plain.contains(".") ? plain : plain + ".0");
    }
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String exp = String.format("%02d", Math.abs(exponent));
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
  }

  /** {@code str()} of a JSON value as Python's json module reads it; {@code None} becomes empty, as the csv module writes it. */
  public static String str(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "";
    }
    if (node.isBoolean()) {
      return bool(node.booleanValue());
    }
    if (node.isPojo()) {
      // a number kept as spelled in the file (JsonValues.readExact): Python reads it as int or float
      String spelled = JsonValues.text(node);
      return spelled.matches("-?\\d+") ? new BigInteger(spelled).toString()
          : floatRepr(Double.parseDouble(spelled));
    }
    if (node.isIntegralNumber()) {
      return node.bigIntegerValue().toString();
    }
    if (node.isNumber()) {
      return floatRepr(node.doubleValue());
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    return repr(node);
  }

  /** {@code repr()} of a list or dict: single-quoted strings, True/False/None. */
  private static String repr(JsonNode node) {
    if (node.isTextual()) {
      return "'" + node.textValue().replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
    if (node.isNull()) {
      return "None";
    }
    if (node.isArray()) {
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < node.size(); i++) {
        b.append(i > 0 ? ", " : "").append(repr(node.get(i)));
      }
      return b.append(']').toString();
    }
    if (node.isObject()) {
      StringBuilder b = new StringBuilder("{");
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      boolean first = true;
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        b.append(first ? "" : ", ").append(repr(JsonValues.MAPPER.getNodeFactory().textNode(e.getKey())))
            .append(": ").append(repr(e.getValue()));
        first = false;
      }
      return b.append('}').toString();
    }
    return str(node);
  }
}
