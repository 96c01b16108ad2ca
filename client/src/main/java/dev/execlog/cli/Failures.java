package dev.execlog.cli;

import dev.execlog.client.ExecLogClientException;
import io.grpc.Status;

/** The one place that turns a client failure into an exit code, a message line and a hint. */
final class Failures {

  private Failures() {}

  static ExitCode exitCode(Status.Code code) {
    return switch (code) {
      case NOT_FOUND -> ExitCode.NOT_FOUND;
      case UNAVAILABLE, DEADLINE_EXCEEDED -> ExitCode.UNAVAILABLE;
      case CANCELLED -> ExitCode.INTERRUPTED;
      case UNAUTHENTICATED, PERMISSION_DENIED -> ExitCode.NOT_ALLOWED;
      default -> ExitCode.ERROR;
    };
  }

  /** Wraps a failed call of {@code what} (such as "show run 1234") against {@code server}. */
  static CliFailure from(String what, ExecLogClientException e, String server) {
    String message = e.getMessage();
    if (!e.field().isEmpty() && message.startsWith(e.field() + ": ")) {
      message = message.substring(e.field().length() + 2); // the field is named once, at the end
    }
    if (e.code() == Status.Code.UNAVAILABLE) {
      message = "cannot reach " + server + " (" + transportReason(e, message) + ")";
    }
    String detail = message + (e.field().isEmpty() ? "" : " (field: " + e.field() + ")");
    return new CliFailure(what, detail, exitCode(e.code()), hint(e, server), e);
  }

  /** The server's reason when a watch's reader fell behind and the server dropped the watch. */
  static final String WATCH_LAGGED = "WATCH_LAGGED";

  /**
   * A watch the server dropped because it read too slowly. The changes after {@code lastSequence}
   * were not shown; {@code historyCommand} reads them back.
   */
  static CliFailure lagged(ExecLogClientException e, long lastSequence, String historyCommand) {
    return new CliFailure("watch changes", "the watch fell behind the server and was dropped after change #"
        + lastSequence + "; later changes were not shown", exitCode(e.code()),
        "read what was missed with '" + historyCommand + "', then start 'execlog watch' again.", e);
  }

  /** gRPC says "io exception"; the socket's own words ("Connection refused") help more. */
  private static String transportReason(Throwable e, String fallback) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String text = root == e ? null : root.getMessage();
    if (text == null || text.isBlank()) {
      return fallback;
    }
    return text.substring(text.lastIndexOf(": ") + 1).strip();
  }

  private static String hint(ExecLogClientException e, String server) {
    return switch (e.code()) {
      case UNAVAILABLE -> "is the server running at " + server + "? Set --server or EXECLOG_SERVER.";
      case DEADLINE_EXCEEDED -> "the server is slow or the log is large; try a longer --timeout.";
      case NOT_FOUND -> "list runs with 'execlog history' and tasks with 'execlog tasks'.";
      case CANCELLED -> null;
      case UNAUTHENTICATED -> "give a token with EXECLOG_TOKEN or --token-file (and --tls-ca if the server uses TLS).";
      case PERMISSION_DENIED -> "ask for a token with a role that may do this (reader, writer, admin).";
      case INVALID_ARGUMENT -> e.field().contains("path") || e.field().contains("files")
          ? "paths must be relative to the project root (or absolute inside it), without '..' escapes or '~'."
          : null;
      default -> null;
    };
  }
}
