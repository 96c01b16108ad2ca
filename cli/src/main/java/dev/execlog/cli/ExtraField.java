package dev.execlog.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * One extra key of a run given as {@code KEY=JSON} ({@code --extra}, {@code --set}): the key, and
 * a value that must be exactly one JSON value, so a string needs its quotes.
 */
record ExtraField(String key, String jsonText) {

  /** Reads {@code KEY=JSON}, splitting at the first {@code =}. */
  static final class Converter implements ITypeConverter<ExtraField> {
    @Override
    public ExtraField convert(String spec) {
      int eq = spec.indexOf('=');
      if (eq <= 0) {
        throw new TypeConversionException("'" + spec + "' is not KEY=JSON, such as notes='\"looks good\"' or rows=100");
      }
      String key = spec.substring(0, eq);
      String text = spec.substring(eq + 1);
      if (JsonTexts.parse(text).isEmpty()) {
        throw new TypeConversionException("the value of " + key + " is not one JSON value: " + text
            + "; quote a string, as in " + key + "='\"" + text + "\"'");
      }
      return new ExtraField(key, text);
    }
  }
}
