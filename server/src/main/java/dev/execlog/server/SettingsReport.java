package dev.execlog.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** The settings a server runs with and where each one came from: flag, environment, file or default. */
final class SettingsReport {

  private static final List<String> SOURCES = List.of("flag", "environment", "file", "default");

  /** One setting: its value as the file would hold it, and the environment variable it came from, if any. */
  private record Setting(String key, String value, String variable) {}

  private final ConfigFile file;
  private final Map<String, List<Setting>> bySource = new LinkedHashMap<>();

  SettingsReport(CommandSpec spec, ConfigFile file) {
    this.file = file;
    SOURCES.forEach(source -> bySource.put(source, new ArrayList<>()));
    ParseResult parsed = spec.commandLine().getParseResult();
    for (OptionSpec option : spec.options()) {
      String key = ConfigFile.key(option);
      if (ConfigFile.NOT_SETTINGS.contains(key)) {
        continue;
      }
      String source = file != null ? file.source(option, parsed)
          : ConfigFile.sourceOf(option, parsed, System::getenv, false);
      String variable = source.startsWith("environment ") ? source.substring("environment ".length()) : null;
      bySource.get(variable != null ? "environment" : source).add(new Setting(key, text(option.getValue()), variable));
    }
  }

  /** Every setting as a properties file the server could read back, grouped by source. */
  String asProperties() {
    StringBuilder out = new StringBuilder("# execlog-server ").append(ExecLogServer.VERSION)
        .append(" settings: a flag beats an environment variable, which beats the file, which beats the default\n");
    bySource.forEach((source, settings) -> {
      if (settings.isEmpty()) {
        return;
      }
      out.append("\n# ").append(heading(source)).append('\n');
      for (Setting s : settings) {
        if (s.variable() != null) {
          out.append("# from ").append(s.variable()).append('\n');
        }
        out.append(s.key()).append(" = ").append(s.value().replace("\\", "\\\\")).append('\n');
      }
    });
    return out.toString();
  }

  /** One line for the log at start: which settings did not come from the defaults, and from where. */
  String summary() {
    List<String> parts = new ArrayList<>();
    for (String source : SOURCES.subList(0, 3)) {
      List<Setting> settings = bySource.get(source);
      if (!settings.isEmpty()) {
        parts.add(heading(source) + ": " + String.join(", ", settings.stream().map(Setting::key).toList()));
      }
    }
    return "settings " + (parts.isEmpty() ? "all default" : String.join("; ", parts));
  }

  private String heading(String source) {
    return switch (source) {
      case "flag" -> "from the command line";
      case "environment" -> "from the environment";
      case "file" -> "from " + file.path();
      default -> "defaults";
    };
  }

  private static String text(Object value) {
    if (value instanceof List<?> list) {
      return String.join(",", list.stream().map(String::valueOf).toList());
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT);
    }
    return value == null ? "" : String.valueOf(value);
  }
}
