package dev.execlog.server.postgres;

import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the commands that work on a store while no server serves it ({@code migrate},
 * {@code migrate-log}) share: the database password's file and the project root. They print one
 * line of their own, so the pool's, Flyway's and the JSON store's lines stay out of the way.
 */
public final class OfflineStoreOptions {

  /** Held here, since java.util.logging forgets loggers nobody references. */
  private static final List<Logger> QUIET = List.of(Logger.getLogger("com.zaxxer.hikari"),
      Logger.getLogger("org.flywaydb"), Logger.getLogger("dev.execlog.server.store"));

  @Mixin
  StorePasswordOption password;

  @Option(names = "--root", defaultValue = "${env:EXECLOG_ROOT:-.}",
      description = "The project root the log's servers run with (EXECLOG_ROOT, default: current directory).")
  Path root;

  public Path passwordFile() {
    return password.file();
  }

  /** The project root, absolute and normalized. */
  public Path projectRoot() {
    return root.toAbsolutePath().normalize();
  }

  /** Keeps the libraries' own log lines to warnings. */
  public static void quiet() {
    QUIET.forEach(logger -> logger.setLevel(Level.WARNING));
  }
}
