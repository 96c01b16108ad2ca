package dev.execlog.client.model;

import java.util.Objects;

/**
 * How an import goes. Start from {@link #merging()} or {@link #replacing()}.
 *
 * @param replace replace the whole log with the file, rather than add the file's runs to it
 * @param dryRun check and count, change nothing
 * @param sourceRoot the absolute project root the file's log was written under: absolute paths under
 *     it are rebased onto the server's project root, to move a log between projects; empty for none
 */
public record ImportSettings(boolean replace, boolean dryRun, String sourceRoot) {

  public ImportSettings {
    Objects.requireNonNull(sourceRoot, "sourceRoot");
  }

  /** Adds the file's runs to the log, keeping the runs already stored. */
  public static ImportSettings merging() {
    return new ImportSettings(false, false, "");
  }

  /** Replaces the whole log with the file. */
  public static ImportSettings replacing() {
    return new ImportSettings(true, false, "");
  }

  public ImportSettings dryRun(boolean value) {
    return new ImportSettings(replace, value, sourceRoot);
  }

  /** Rebases absolute paths under {@code root} (absolute, as the other project saw it) onto this server's root. */
  public ImportSettings sourceRoot(String root) {
    return new ImportSettings(replace, dryRun, root);
  }
}
