package dev.execlog.cli;

import dev.execlog.client.ConnectionOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The connection settings of one command line, each with where it came from. Precedence, highest
 * first: an option on the command line, an environment variable, the selected profile of the user's
 * config file, the built-in default.
 *
 * <p>The config file ({@code --config}, else {@code EXECLOG_CONFIG}, else
 * {@code ${XDG_CONFIG_HOME:-~/.config}/execlog/config}) is INI-like:
 *
 * <pre>
 * # the profile used when neither --profile nor EXECLOG_PROFILE is given
 * profile = prod
 *
 * [prod]
 * server = logs.internal:50051
 * tls-ca = ~/certs/execlog-ca.pem
 * token-file = ~/.config/execlog/prod.token
 * timeout = 1m
 * </pre>
 *
 * Keys of a profile: server, tls-ca, tls-cert, tls-key, tls-authority, token-file, timeout. Relative
 * paths are relative to the config file's folder; {@code ~/} is the home folder.
 */
final class Settings {

  /** The keys a profile may set, in the order {@code config show} prints them. */
  static final List<String> KEYS = List.of("server", "tls-ca", "tls-cert", "tls-key", "tls-authority", "token-file",
      "timeout");

  private static final Map<String, String> ENV = Map.of("server", "EXECLOG_SERVER", "tls-ca", "EXECLOG_TLS_CA",
      "tls-cert", "EXECLOG_TLS_CERT", "tls-key", "EXECLOG_TLS_KEY", "tls-authority", "EXECLOG_TLS_AUTHORITY",
      "token-file", "EXECLOG_TOKEN_FILE");

  /** host:port, [v6]:port, or a gRPC target URI such as dns:///host:port or unix:/path. */
  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9_.-]+):(\\d{1,5})");

  /** One setting's value and its source, such as {@code env EXECLOG_SERVER} or {@code profile prod}. */
  record Setting(String value, String source) {}

  private final Map<String, Setting> values = new LinkedHashMap<>();
  private String token;
  private final Path configFile;
  private final String configSource;
  private final boolean configExists;
  private final String profile;
  private final String profileSource;
  private final List<String> profiles;

  private Settings(Path configFile, String configSource, boolean configExists, String profile, String profileSource,
      List<String> profiles) {
    this.configFile = configFile;
    this.configSource = configSource;
    this.configExists = configExists;
    this.profile = profile;
    this.profileSource = profileSource;
    this.profiles = profiles;
  }

  /** Resolves every setting from the options given, the environment and the config file. */
  static Settings resolve(CommonOptions flags, Map<String, String> env) {
    Path file;
    String fileSource;
    if (flags.config != null) {
      file = flags.config;
      fileSource = "flag --config";
    } else if (blank(env.get("EXECLOG_CONFIG")) != null) {
      file = Path.of(env.get("EXECLOG_CONFIG").trim());
      fileSource = "env EXECLOG_CONFIG";
    } else {
      String xdg = blank(env.get("XDG_CONFIG_HOME"));
      Path base = xdg != null ? Path.of(xdg) : home(env).resolve(".config");
      file = base.resolve("execlog").resolve("config");
      fileSource = "default";
    }
    boolean explicit = !fileSource.equals("default");
    ConfigFile config = ConfigFile.read(file, explicit, env);

    String profile;
    String profileSource;
    if (flags.profile != null) {
      profile = flags.profile;
      profileSource = "flag --profile";
    } else if (blank(env.get("EXECLOG_PROFILE")) != null) {
      profile = env.get("EXECLOG_PROFILE").trim();
      profileSource = "env EXECLOG_PROFILE";
    } else if (config.defaultProfile != null) {
      profile = config.defaultProfile;
      profileSource = "config file";
    } else if (config.sections.containsKey("default")) {
      profile = "default";
      profileSource = "default";
    } else {
      profile = null;
      profileSource = "default";
    }
    if (profile != null && !config.sections.containsKey(profile)) {
      String known = config.sections.isEmpty() ? "it defines none" : "it defines " + String.join(", ",
          config.sections.keySet());
      throw new CliFailure("read the config", "no profile '" + profile + "' (" + profileSource + ") in "
          + (config.exists ? file : file + ", which does not exist") + "; " + known, ExitCode.USAGE,
          "write profiles as '[NAME]' sections; see 'execlog config --help'.", null);
    }

    Settings s = new Settings(file, fileSource, config.exists, profile, profileSource,
        List.copyOf(config.sections.keySet()));
    s.values.put("server", new Setting(ConnectionOptions.DEFAULT_TARGET, "default"));
    s.values.put("timeout", new Setting(HumanFormat.duration(CommonOptions.DEFAULT_TIMEOUT)
        + " (long operations: " + HumanFormat.duration(CommonOptions.DEFAULT_LONG_TIMEOUT) + ")", "default"));
    if (profile != null) {
      config.sections.get(profile).forEach((k, v) -> s.values.put(k, new Setting(v, "profile " + profile)));
    }
    // The environment: a token given either way replaces the profile's token file.
    for (String key : KEYS) {
      String variable = ENV.get(key);
      String value = variable == null ? null : blank(env.get(variable));
      if (value != null) {
        s.values.put(key, new Setting(value, "env " + variable));
      }
    }
    if (blank(env.get("EXECLOG_TOKEN")) != null && blank(env.get("EXECLOG_TOKEN_FILE")) == null) {
      s.values.remove("token-file");
      s.values.put("token", new Setting("(set)", "env EXECLOG_TOKEN"));
      s.token = env.get("EXECLOG_TOKEN");
    }
    s.flag("server", flags.server);
    s.flag("tls-ca", flags.tlsCa);
    s.flag("tls-cert", flags.tlsCert);
    s.flag("tls-key", flags.tlsKey);
    s.flag("tls-authority", flags.tlsAuthority);
    if (flags.tokenFile != null) {
      s.values.remove("token");
      s.flag("token-file", flags.tokenFile);
    }
    if (flags.timeout != null) {
      s.values.put("timeout", new Setting(HumanFormat.duration(flags.timeout), "flag --timeout"));
    }
    s.checkServer();
    return s;
  }

  private void flag(String key, Object value) {
    if (value != null) {
      values.put(key, new Setting(value.toString(), "flag --" + key));
    }
  }

  /** A malformed address is a usage error wherever it came from, saying the form expected. */
  private void checkServer() {
    Setting server = values.get("server");
    String why = serverProblem(server.value());
    if (why != null) {
      throw new CliFailure("bad server address '" + server.value() + "' (" + server.source() + ")", why,
          ExitCode.USAGE, "write it as HOST:PORT, such as localhost:50051 or [::1]:50051; several servers as"
          + " HOST:PORT,HOST:PORT.", null);
    }
  }

  /** Why {@code target} is not a server address, or null when it is one. */
  static String serverProblem(String target) {
    if (target.contains(":///") || target.startsWith("unix:")) {
      return null;
    }
    if (target.contains(",")) {
      for (String part : target.split(",", -1)) {
        String entry = part.strip();
        if (entry.isEmpty()) {
          return "an address of the list is empty";
        }
        String why = serverProblem(entry);
        if (why != null) {
          return "'" + entry + "': " + why;
        }
      }
      return null;
    }
    var m = HOST_PORT.matcher(target);
    if (!m.matches()) {
      return target.contains("://") ? "give HOST:PORT without a scheme such as http://"
          : !target.contains(":") ? "the port is missing" : "expected HOST:PORT";
    }
    int port = Integer.parseInt(m.group(2));
    return port < 1 || port > 65535 ? "the port must be 1 to 65535" : null;
  }

  /** The options for the client: the settings, with files read. */
  ConnectionOptions connection() {
    try {
      ConnectionOptions c = new ConnectionOptions(get("server"), path("tls-ca"), path("tls-cert"), path("tls-key"),
          null, get("tls-authority"));
      if (values.containsKey("token")) {
        c = c.withToken(token);
      }
      Path tokenFile = path("token-file");
      return tokenFile != null ? c.withTokenFile(tokenFile) : c;
    } catch (UncheckedIOException e) {
      throw new CliFailure("connect", e.getMessage(), ExitCode.ERROR, null, e);
    }
  }

  /** The profile's timeout when neither --timeout nor a default applies, else null. */
  Duration profileTimeout() {
    Setting t = values.get("timeout");
    if (t == null || !t.source().startsWith("profile ")) {
      return null;
    }
    try {
      return new DurationConverter().convert(t.value());
    } catch (Exception e) {
      throw new CliFailure("read the config", "bad timeout '" + t.value() + "' in profile " + profile + " of "
          + configFile + ": " + e.getMessage(), ExitCode.USAGE);
    }
  }

  String get(String key) {
    Setting s = values.get(key);
    return s == null ? null : s.value();
  }

  private Path path(String key) {
    String v = get(key);
    return v == null ? null : Path.of(v);
  }

  Map<String, Setting> values() {
    return values;
  }

  Path configFile() {
    return configFile;
  }

  String configSource() {
    return configSource;
  }

  boolean configExists() {
    return configExists;
  }

  String profile() {
    return profile;
  }

  String profileSource() {
    return profileSource;
  }

  List<String> profiles() {
    return profiles;
  }

  private static Path home(Map<String, String> env) {
    String home = blank(env.get("HOME"));
    return Path.of(home != null ? home : System.getProperty("user.home"));
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  /** The parsed config file: its default profile and its sections. */
  private static final class ConfigFile {
    boolean exists;
    String defaultProfile;
    final Map<String, Map<String, String>> sections = new LinkedHashMap<>();

    static ConfigFile read(Path file, boolean mustExist, Map<String, String> env) {
      ConfigFile c = new ConfigFile();
      List<String> lines;
      try {
        lines = Files.readAllLines(file);
        c.exists = true;
      } catch (NoSuchFileException e) {
        if (mustExist) {
          throw new CliFailure("read the config", "no such file: " + file, ExitCode.USAGE);
        }
        return c;
      } catch (IOException e) {
        throw new CliFailure("read the config", "cannot read " + file + ": " + e.getMessage(), ExitCode.USAGE);
      }
      Map<String, String> section = null;
      String name = null;
      List<String> problems = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        String at = file + ":" + (i + 1);
        if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
          continue;
        }
        if (line.startsWith("[") && line.endsWith("]")) {
          name = line.substring(1, line.length() - 1).strip();
          if (name.startsWith("profile ")) {
            name = name.substring("profile ".length()).strip();
          }
          section = c.sections.computeIfAbsent(name, k -> new LinkedHashMap<>());
          continue;
        }
        int eq = line.indexOf('=');
        if (eq < 1) {
          problems.add(at + ": expected 'key = value' or '[profile]'");
          continue;
        }
        String key = line.substring(0, eq).strip();
        String value = unquote(line.substring(eq + 1).strip());
        if (section == null) {
          if (key.equals("profile")) {
            c.defaultProfile = value;
          } else {
            problems.add(at + ": only 'profile = NAME' may come before the first [profile]");
          }
        } else if (!KEYS.contains(key)) {
          problems.add(at + ": unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
        } else {
          section.put(key, key.startsWith("tls-c") || key.equals("tls-key") || key.equals("token-file")
              ? resolvePath(file, value, env) : value);
        }
      }
      if (!problems.isEmpty()) {
        throw new CliFailure("read the config", String.join("; ", problems), ExitCode.USAGE);
      }
      return c;
    }

    private static String unquote(String v) {
      if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
        return v.substring(1, v.length() - 1);
      }
      return v;
    }

    private static String resolvePath(Path file, String value, Map<String, String> env) {
      if (value.equals("~") || value.startsWith("~/")) {
        return home(env).resolve(value.length() > 2 ? value.substring(2) : "").toString();
      }
      Path p = Path.of(value);
      Path dir = file.toAbsolutePath().getParent();
      return p.isAbsolute() || dir == null ? value : dir.resolve(p).normalize().toString();
    }
  }
}
