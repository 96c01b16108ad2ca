package dev.execlog.cli;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The exit codes of {@code execlog}. Scripts branch on them, so they are an API: never renumber
 * one, only add new ones. The root {@code --help} footer is generated from this enum.
 */
public enum ExitCode {
  OK(0, "success"),
  ERROR(1, "error (bad request, server-side failure, I/O)"),
  USAGE(2, "usage error (unknown option, bad value)"),
  NOT_FOUND(3, "not found (no such run, task or producer)"),
  DEPENDENCIES_UNMET(4, "dependencies not satisfied (deps)"),
  LOG_INVALID(5, "log invalid (validate)"),
  UNAVAILABLE(6, "server unavailable or too slow (UNAVAILABLE, DEADLINE_EXCEEDED)"),
  NOT_ALLOWED(7, "not allowed: missing or unknown token, or a role that may not do this"),
  /** What a shell reports for SIGINT (128 + 2); the JVM exits with it after the call is cancelled. */
  /**
   * Ctrl-C pressed twice during a cleanup or import whose change the server had already committed:
   * the change stands, the output (removed ids) may be incomplete.
   */
  INTERRUPTED_AFTER_COMMIT(8, "interrupted after a commit: the change stands, output may be partial"),
  /** What a shell reports for SIGINT (128 + 2); the JVM exits with it after the call is cancelled. */
  INTERRUPTED(130, "interrupted (Ctrl-C); the call was cancelled on the server");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  /** The "Exit codes:" table of the root help footer, one line per code. */
  static String[] helpFooter() {
    String table = Arrays.stream(values())
        .map(c -> String.format("  %3d  %s", c.code, c.meaning))
        .collect(Collectors.joining("%n"));
    return new String[] {"", "Exit codes:", table};
  }
}
