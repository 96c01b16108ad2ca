package dev.execlog.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The server's configuration file: Java properties, one {@code key = value} per line, where each key
 * is a long option's name without its dashes ({@code port = 7000}, {@code tls-cert = /etc/execlog/server.pem}).
 * It sits between the environment and the built-in defaults: a flag beats an environment variable,
 * which beats the file, which beats the default.
 */
final class ConfigFile implements IDefaultValueProvider {

  static final String OPTION = "--config";
  static final String ENVIRONMENT = "EXECLOG_CONFIG";
  /** Options that are actions or the file's own name, not settings a file can hold. */
  static final Set<String> NOT_SETTINGS = Set.of("help", "version", "print-config", "config");
  private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)");

  private final Path path;
  private final Properties values;
  private final UnaryOperator<String> environment;

  private ConfigFile(Path path, Properties values, UnaryOperator<String> environment) {
    this.path = path;
    this.values = values;
    this.environment = environment;
  }

  /** The file named by {@code --config FILE} or {@code --config=FILE} among the arguments, else by the environment. */
  static Path locate(String[] args, UnaryOperator<String> environment) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(OPTION) && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith(OPTION + "=")) {
        return Path.of(args[i].substring(OPTION.length() + 1));
      }
    }
    String fromEnvironment = environment.apply(ENVIRONMENT);
    return fromEnvironment == null || fromEnvironment.isBlank() ? null : Path.of(fromEnvironment);
  }

  /** Reads the file and refuses keys that name no option, so a typo is not silently ignored. */
  static ConfigFile load(Path path, CommandSpec spec, UnaryOperator<String> environment) throws IOException {
    Properties values = new Properties();
    try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      values.load(in);
    }
    Set<String> known = new TreeSet<>();
    spec.options().forEach(o -> known.add(key(o)));
    known.removeAll(NOT_SETTINGS);
    for (String key : values.stringPropertyNames()) {
      if (!known.contains(key)) {
        throw new IOException("unknown key '" + key + "' (keys are the long option names without dashes: "
            + String.join(", ", known) + ")");
      }
    }
    return new ConfigFile(path, values, environment);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || environmentVariableSet(option)) {
      return null; // the annotation's default reads the environment variable, which outranks the file
    }
    String value = values.getProperty(key(option));
    return value == null ? null : value.strip();
  }

  /** Where the option's value came from: flag, environment, file or default. */
  String source(OptionSpec option, ParseResult parsed) {
    return sourceOf(option, parsed, environment, values.containsKey(key(option)));
  }

  static String sourceOf(OptionSpec option, ParseResult parsed, UnaryOperator<String> environment,
      boolean inFile) {
    if (parsed.hasMatchedOption(option)) {
      return "flag";
    }
    String variable = environmentVariable(option);
    if (variable != null && environment.apply(variable) != null) {
      return "environment " + variable;
    }
    return inFile ? "file" : "default";
  }

  Path path() {
    return path;
  }


  private boolean environmentVariableSet(OptionSpec option) {
    String variable = environmentVariable(option);
    return variable != null && environment.apply(variable) != null;
  }

  /** The variable the option's annotation reads ({@code ${env:NAME:-default}}), or null. */
  static String environmentVariable(OptionSpec option) {
    // picocli hands out defaults with the variables already read, so the annotation is read as written.
    if (!(option.userObject() instanceof Field field)) {
      return null;
    }
    Option annotation = field.getAnnotation(Option.class);
    Matcher m = ENV_DEFAULT.matcher(annotation == null ? "" : annotation.defaultValue());
    return m.find() ? m.group(1) : null;
  }

  static String key(OptionSpec option) {
    return option.longestName().replaceFirst("^-+", "");
  }
}
