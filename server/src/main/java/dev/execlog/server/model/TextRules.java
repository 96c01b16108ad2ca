package dev.execlog.server.model;

import java.text.Normalizer;

/**
 * What text the log accepts. Ids, names and paths are compared and shown to people, so they must
 * not hide anything: control and format characters (a right-to-left override, a zero-width space,
 * a byte order mark, C1 controls) are refused, a name cannot start with a combining mark, and each
 * is normalized to NFC so that two spellings of one name are one name. Text the file cannot hold,
 * such as a lone UTF-16 surrogate from an escaped JSON string, is refused everywhere.
 */
public final class TextRules {

  private TextRules() {}

  /** An id or a short name, normalized to NFC; empty stays empty. */
  public static String name(String value, String field) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    storable(value, field);
    String nfc = Normalizer.normalize(value, Normalizer.Form.NFC);
    for (int i = 0; i < nfc.length(); ) {
      int cp = nfc.codePointAt(i);
      if (hidden(cp, false)) {
        throw ExecLogException.invalid(field, describe(cp) + " at index " + i + " is not allowed");
      }
      if (i == 0 && isCombiningMark(cp)) {
        throw ExecLogException.invalid(field, "must not start with a combining mark (U+"
            + String.format("%04X", cp) + ")");
      }
      i += Character.charCount(cp);
    }
    return nfc;
  }

  /** Free text for people (a description): line breaks and tabs allowed, other hidden characters not. */
  public static String freeText(String value, String field) {
    if (value == null || value.isEmpty()) {
      return "";
    }
    storable(value, field);
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      if (hidden(cp, true)) {
        throw ExecLogException.invalid(field, describe(cp) + " at index " + i + " is not allowed");
      }
      i += Character.charCount(cp);
    }
    return value;
  }

  /** A path's text: hidden characters refused, NFC; the path policy checks the rest. */
  public static String path(String value, String field) {
    return name(value, field);
  }

  /** Refuses a lone UTF-16 surrogate, which has no UTF-8 form and so cannot be written to the file. */
  public static void storable(String value, String field) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw ExecLogException.invalid(field, "holds a lone surrogate (U+" + String.format("%04X", (int) c)
            + ") at index " + i + ", which is not a character");
      }
    }
  }

  private static boolean hidden(int cp, boolean allowLineBreaks) {
    if (allowLineBreaks && (cp == '\n' || cp == '\t')) {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
        || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
  }

  private static boolean isCombiningMark(int cp) {
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK
        || type == Character.COMBINING_SPACING_MARK;
  }

  private static String describe(int cp) {
    String kind = Character.getType(cp) == Character.FORMAT ? "the invisible format character"
        : "the control character";
    return kind + " U+" + String.format("%04X", cp);
  }
}
