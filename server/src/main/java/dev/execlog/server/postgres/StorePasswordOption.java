package dev.execlog.server.postgres;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --store-password-file}, the one way the PostgreSQL store's password is named on a command line. */
public final class StorePasswordOption {

  @Option(names = "--store-password-file", defaultValue = "${env:EXECLOG_STORE_PASSWORD_FILE}", paramLabel = "FILE",
      description = "File whose first line is the PostgreSQL store's password (EXECLOG_STORE_PASSWORD_FILE); else"
          + " EXECLOG_STORE_PASSWORD, else PGPASSWORD.")
  Path file;

  /** The file, or null when none was named. */
  public Path file() {
    return file;
  }
}
