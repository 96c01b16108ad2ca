package dev.execlog.server.postgres;

import dev.execlog.server.model.ExecLogException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Where a PostgreSQL store lives and how to log in: a {@code --store} URL
 * ({@code postgresql://[USER@]HOST[:PORT]/DB[?PARAMS]}, also {@code postgres://} or
 * {@code jdbc:postgresql://}) plus a password from a file or the environment. Parameters such as
 * {@code sslmode}, {@code sslrootcert}, {@code sslcert}, {@code sslkey} (TLS to the database) or
 * {@code currentSchema} pass through to the driver. A password in the URL is refused: a command
 * line is visible to every user of the machine.
 *
 * @param jdbcUrl the driver's URL, without user or password
 * @param user the user from the URL, or null (the driver then takes the OS user's name)
 * @param password the password, or null (trust, certificate or {@code ~/.pgpass} authentication)
 * @param display the URL to show people and logs: no password, ever
 */
public record PostgresLocation(String jdbcUrl, String user, String password, String display) {

  /** The environment variables a password is read from, in order, when no password file is given. */
  public static final List<String> PASSWORD_VARIABLES = List.of("EXECLOG_STORE_PASSWORD", "PGPASSWORD");

  private static final List<String> SCHEMES = List.of("postgresql://", "postgres://", "jdbc:postgresql://");
  private static final Set<String> SECRET_PARAMETERS = Set.of("password", "sslpassword");

  /** Whether a {@code --store} value names a PostgreSQL database (any of the three schemes). */
  public static boolean isPostgres(String store) {
    String lower = store.strip().toLowerCase(Locale.ROOT);
    return SCHEMES.stream().anyMatch(lower::startsWith);
  }

  /** Reads a {@code --store} URL; CONFIG_INVALID names what is wrong. */
  public static PostgresLocation parse(String store, Path passwordFile, Function<String, String> env) {
    String text = store.strip();
    String lower = text.toLowerCase(Locale.ROOT);
    String scheme = SCHEMES.stream().filter(lower::startsWith).findFirst()
        .orElseThrow(() -> ExecLogException.config("--store " + text + " is not a PostgreSQL URL;"
            + " write postgresql://HOST:PORT/DATABASE"));
    String rest = text.substring(scheme.length());
    int query = rest.indexOf('?');
    String authority = query < 0 ? rest : rest.substring(0, query);
    String params = query < 0 ? "" : rest.substring(query + 1);
    int slash = authority.indexOf('/');
    if (slash < 0 || slash == authority.length() - 1) {
      throw ExecLogException.config("--store " + text + " names no database; write postgresql://HOST:PORT/DATABASE");
    }
    String hosts = authority.substring(0, slash);
    String database = authority.substring(slash + 1);
    String user = null;
    int at = hosts.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = hosts.substring(0, at);
      hosts = hosts.substring(at + 1);
      if (userInfo.contains(":")) {
        throw ExecLogException.config("--store must not hold a password (anyone on this machine can read a command"
            + " line); put it in a file named by --store-password-file, or in EXECLOG_STORE_PASSWORD");
      }
      user = decode(userInfo);
    }
    if (hosts.isEmpty()) {
      throw ExecLogException.config("--store " + text + " names no host; write postgresql://HOST:PORT/DATABASE");
    }
    List<String> kept = new ArrayList<>();
    for (String p : params.isEmpty() ? new String[0] : params.split("&")) {
      String name = decode(p.contains("=") ? p.substring(0, p.indexOf('=')) : p);
      if (SECRET_PARAMETERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw ExecLogException.config("--store must not hold a password (" + name + "=); put it in a file named by"
            + " --store-password-file, or in EXECLOG_STORE_PASSWORD");
      }
      if (name.equals("user")) {
        user = decode(p.substring(p.indexOf('=') + 1));
        continue;
      }
      kept.add(p);
    }
    String tail = kept.isEmpty() ? "" : "?" + String.join("&", kept);
    String jdbcUrl = "jdbc:postgresql://" + hosts + "/" + database + tail;
    String display = "postgresql://" + (user != null ? user + "@" : "") + hosts + "/" + database + tail;
    return new PostgresLocation(jdbcUrl, user, password(passwordFile, env), display);
  }

  /** The password: the file's first line, else the first variable of {@link #PASSWORD_VARIABLES} set. */
  static String password(Path file, Function<String, String> env) {
    if (file != null) {
      try {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isEmpty()) {
          throw ExecLogException.config("the password file " + file + " is empty");
        }
        return lines.get(0);
      } catch (IOException e) {
        throw ExecLogException.config("cannot read the password file " + file + ": " + e.getMessage());
      }
    }
    for (String variable : PASSWORD_VARIABLES) {
      String value = env.apply(variable);
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return null;
  }

  /** With the process's environment. */
  public static PostgresLocation parse(String store, Path passwordFile) {
    Map<String, String> env = System.getenv();
    return parse(store, passwordFile, env::get);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return display;
  }
}
