package dev.execlog.cli;

import dev.execlog.client.ExecutionLogClient.Format;
import dev.execlog.client.model.CleanupRule;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Enum option values as the shell spells them, {@code old-and-beyond-count} for
 * {@code OLD_AND_BEYOND_COUNT}: converters and completion candidates per enum. Any case, and
 * {@code _} for {@code -}, is accepted too, so values that worked before keep working.
 */
final class KebabEnums {

  private KebabEnums() {}

  static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    for (E value : type.getEnumConstants()) {
      if (name(value).equals(wanted)) {
        return value;
      }
    }
    List<String> names = names(type);
    throw new TypeConversionException("'" + text + "' is not one of " + String.join(", ", names)
        + Typos.hint(text, names));
  }

  private static <E extends Enum<E>> List<String> names(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(KebabEnums::name).toList();
  }

  /** A converter and the completion candidates of one enum, as picocli instantiates them (no arguments). */
  private abstract static class Values<E extends Enum<E>> implements ITypeConverter<E>, Iterable<String> {
    private final Class<E> type;

    Values(Class<E> type) {
      this.type = type;
    }

    @Override
    public E convert(String text) {
      return parse(type, text);
    }

    @Override
    public Iterator<String> iterator() {
      return names(type).iterator();
    }
  }

  static final class CleanupRules extends Values<CleanupRule> {
    CleanupRules() {
      super(CleanupRule.class);
    }
  }

  static final class ExportFormats extends Values<Format> {
    ExportFormats() {
      super(Format.class);
    }
  }
}
