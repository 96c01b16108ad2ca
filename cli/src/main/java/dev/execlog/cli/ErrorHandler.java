package dev.execlog.cli;

import dev.execlog.client.ExecLogClientException;
import java.io.PrintWriter;
import java.util.List;
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
    err.println("execlog: " + message(ex, cmd));
    String path = cmd.getCommandSpec().qualifiedName();
    if (ex instanceof CommandLine.UnmatchedArgumentException u) {
      String typed = u.getUnmatched().isEmpty() ? "" : u.getUnmatched().get(0).replaceFirst("=.*", "");
      List<String> near = u.getSuggestions().stream().filter(x -> !x.isBlank()).distinct()
          .filter(x -> Typos.close(typed, x)).limit(2).toList();
      if (!near.isEmpty()) {
        err.println("hint: did you mean " + String.join(" or ", near.stream().map(x -> "'" + x + "'").toList()) + "?");
      }
    }
    err.println("hint: see '" + path + " --help'.");
    err.flush();
    return ExitCode.USAGE.code();
  }

  /** The parse error in words: an unknown command is named as such. */
  private static String message(ParameterException ex, CommandLine cmd) {
    if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()
        && !cmd.getSubcommands().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
      return "unknown command '" + u.getUnmatched().get(0) + "'";
    }
    return ex.getMessage();
  }

  /** --verbose given after the command or before it. */
  private static boolean verbose(CommandLine cmd) {
    for (CommandLine c = cmd; c != null; c = c.getParent()) {
      ParseResult pr = c.getParseResult();
      if (pr != null && pr.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  private static String describe(Exception ex) {
    String message = ex.getMessage();
    return message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
  }
}
