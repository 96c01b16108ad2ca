package dev.execlog.cli;

/**
 * A failure the CLI reports as one line, {@code execlog: <what>: <detail>}, with an optional hint
 * and the exit code it ends the process with. {@link ErrorHandler} prints it.
 */
final class CliFailure extends RuntimeException {

  private final String what;
  private final ExitCode exitCode;
  private final String hint;

  CliFailure(String what, String detail, ExitCode exitCode, String hint, Throwable cause) {
    super(detail, cause);
    this.what = what;
    this.exitCode = exitCode;
    this.hint = hint;
  }

  CliFailure(String what, String detail, ExitCode exitCode) {
    this(what, detail, exitCode, null, null);
  }

  String what() {
    return what;
  }

  ExitCode exitCode() {
    return exitCode;
  }

  /** A next step for the user, or null. */
  String hint() {
    return hint;
  }
}
