package dev.execlog.cli;

import dev.execlog.client.ExecLogClientException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Prints every failure as one line on stderr, {@code execlog: <what failed>: <detail>}, plus a hint
 * where one helps, and returns its exit code. With --verbose, also the server's status (code, reason,
 * field and metadata) and the stack trace.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    CliFailure failure = ex instanceof CliFailure f ? f
        : ex instanceof ExecLogClientException e ? Failures.from(cmd.getCommandName(), e, "the server")
        : new CliFailure(cmd.getCommandName(), describe(ex), ExitCode.ERROR, null, ex);
    err.println("execlog: " + failure.what() + ": " + failure.getMessage());
    if (failure.hint() != null) {
      err.println("hint: " + failure.hint());
    }
    if (verbose(cmd)) {
      if (failure.getCause() instanceof ExecLogClientException e) {
        err.println("execlog: " + Failures.details(e));
      }
      (failure.getCause() != null ? failure.getCause() : failure).printStackTrace(err);
    }
    err.flush();
    return failure.exitCode().code();
  }

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("execlog: " + ex.getMessage());
    String path = cmd.getCommandSpec().qualifiedName();
    if (cmd.getCommandSpec().parent() == null && ex instanceof CommandLine.UnmatchedArgumentException) {
      err.println("hint: shared options such as --server and --json go after the command: 'execlog info --server HOST:PORT'.");
    }
    err.println("hint: see '" + path + " --help'.");
    err.flush();
    return ExitCode.USAGE.code();
  }

  private static boolean verbose(CommandLine cmd) {
    ParseResult pr = cmd.getParseResult();
    return pr != null && pr.hasMatchedOption("--verbose");
  }

  private static String describe(Exception ex) {
    String message = ex.getMessage();
    return message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
  }
}
