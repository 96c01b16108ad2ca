package dev.execlog.cli;

import dev.execlog.client.ExecLogClientException;
import io.grpc.Status;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * The one place that turns a client failure into an exit code, a message line and a hint. Both are
 * chosen by the server's reason ({@link ExecLogClientException#errorReason()}) and its metadata;
 * a failure without one (the transport's own, or a reason newer than this CLI) falls back to its
 * gRPC code. The server's message is printed as sent: it already names the field at fault.
 */
final class Failures {

  private Failures() {}

  /** The exit code of a gRPC code alone: failures that carry no reason. */
  static ExitCode exitCode(Status.Code code) {
    return switch (code) {
      case NOT_FOUND -> ExitCode.NOT_FOUND;
      case UNAVAILABLE, DEADLINE_EXCEEDED -> ExitCode.UNAVAILABLE;
      case CANCELLED -> ExitCode.INTERRUPTED;
      case UNAUTHENTICATED, PERMISSION_DENIED -> ExitCode.NOT_ALLOWED;
      default -> ExitCode.ERROR;
    };
  }

  /**
   * The exit code of a failure, by its reason. Every reason of the contract is listed, so a new one
   * does not compile until it is given its code here (and its hint below).
   */
  static ExitCode exitCode(ExecLogClientException e) {
    return switch (e.errorReason()) {
      case INVALID_FIELD, PATH_OUTSIDE_ROOT, INVALID_PAGE_TOKEN, UNPARSABLE_REQUEST, RUN_TOO_LARGE, RUN_ID_TAKEN,
          MESSAGE_TOO_LARGE, IMPORT_TOO_LARGE, RESPONSE_TOO_LARGE, DISK_FULL, WATCH_LAGGED, LOG_IN_USE, MAINTENANCE_RUNNING,
          INTERNAL
          -> ExitCode.ERROR;
      case RUN_NOT_FOUND, TASK_HAS_NO_RUN, PRODUCER_NOT_FOUND -> ExitCode.NOT_FOUND;
      case STORAGE_FAILURE, SHUTTING_DOWN -> ExitCode.UNAVAILABLE;
      case OPERATION_CANCELLED -> ExitCode.INTERRUPTED;
      case UNAUTHENTICATED, ROLE_TOO_LOW -> ExitCode.NOT_ALLOWED;
      case ERROR_REASON_UNSPECIFIED, UNRECOGNIZED -> exitCode(e.code());
    };
  }

  /** Wraps a failed call of {@code what} (such as "show run 1234") against {@code server}. */
  static CliFailure from(String what, ExecLogClientException e, String server) {
    return from(what, e, server, null);
  }

  /**
   * Like {@link #from(String, ExecLogClientException, String)}, knowing the deadline the call had.
   * Failures of the transport become one sentence without gRPC's internals: an unknown host, a
   * refused connection, a deadline.
   */
  static CliFailure from(String what, ExecLogClientException e, String server, Duration deadline) {
    String message = e.getMessage();
    if (e.reason().isEmpty() && e.code() == Status.Code.UNAVAILABLE) {
      if (causedBy(e, UnknownHostException.class)) {
        String host = server.contains(":") ? server.substring(0, server.lastIndexOf(':')) : server;
        return new CliFailure(what, "cannot find the host '" + host + "' of " + server
            + " (unknown name)", exitCode(e), "check the name, or set --server, EXECLOG_SERVER or the"
            + " profile's server.", e);
      }
      message = "cannot reach " + server + " (" + transportReason(e, message) + ")";
    } else if (e.reason().isEmpty() && e.code() == Status.Code.DEADLINE_EXCEEDED) {
      message = "the server at " + server + " did not answer within "
          + (deadline == null ? "the deadline" : HumanFormat.duration(deadline));
    }
    return new CliFailure(what, message, exitCode(e), hint(e, server), e);
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A watch the server dropped ({@code WATCH_LAGGED}) because it read too slowly: the changes after
   * the reason's {@code last_sequence} were not shown; {@code historyCommand} reads them back.
   */
  static CliFailure lagged(ExecLogClientException e, String historyCommand) {
    String last = e.metadata().get("last_sequence");
    return new CliFailure("watch changes", "the watch fell behind the server and was dropped"
        + (last == null ? "" : " after change #" + last) + "; later changes were not shown", exitCode(e),
        "read what was missed with '" + historyCommand + "', then start 'execlog watch' again.", e);
  }

  /** The code, reason, field and metadata of a failure, for --verbose. */
  static String details(ExecLogClientException e) {
    StringBuilder s = new StringBuilder("status ").append(e.code());
    if (!e.reason().isEmpty()) {
      s.append(", reason ").append(e.reason());
    }
    if (!e.field().isEmpty()) {
      s.append(", field ").append(e.field());
    }
    if (!e.metadata().isEmpty()) {
      s.append(", metadata ").append(e.metadata().entrySet().stream()
          .map(m -> m.getKey() + "=" + m.getValue()).collect(Collectors.joining(", ", "{", "}")));
    }
    return s.toString();
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

  /** A metadata value, or {@code otherwise} when the server did not send it (the contract says it does). */
  private static String meta(ExecLogClientException e, String key, String otherwise) {
    String value = e.metadata().get(key);
    return value == null || value.isEmpty() ? otherwise : value;
  }

  private static String limit(ExecLogClientException e) {
    String bytes = e.metadata().get("limit");
    return bytes == null ? "a limit" : bytes + " bytes";
  }

  private static String hint(ExecLogClientException e, String server) {
    return switch (e.errorReason()) {
      case INVALID_FIELD -> null; // the message names the field and what is wrong with it
      case PATH_OUTSIDE_ROOT -> "'" + meta(e, "path", "?") + "' is outside the project root; paths must be"
          + " relative to the project root (or absolute inside it or an allowed root), without '..' escapes or '~'.";
      case INVALID_PAGE_TOKEN -> "a page token only continues the query that issued it (same method and filters);"
          + " start again from the first page.";
      case UNPARSABLE_REQUEST -> "the server could not read this client's " + meta(e, "method", "?")
          + " request; check that the client and server versions match ('execlog --version', 'execlog info').";
      case RUN_TOO_LARGE -> "one run may weigh at most " + limit(e) + " (the server's --max-run-bytes): list fewer"
          + " or shorter paths, or smaller --extra values.";
      case RUN_NOT_FOUND -> "no run has id " + meta(e, "run_id", "?") + "; find run ids with 'execlog history'.";
      case TASK_HAS_NO_RUN -> "task " + meta(e, "task_id", "?") + " has no recorded run yet; list the tasks that have"
          + " with 'execlog tasks'.";
      case PRODUCER_NOT_FOUND -> "no recorded run lists " + meta(e, "path", "?") + " (as the server"
          + " normalizes it); compare with the paths 'execlog show RUN_ID' prints.";
      case RUN_ID_TAKEN -> "run id " + meta(e, "run_id", "?") + " belongs to a different run; leave out --run-id to"
          + " get a new one (retrying the very same run is fine).";
      case MESSAGE_TOO_LARGE -> "the server takes requests of at most " + limit(e) + " (its --max-message-bytes);"
          + " send less in one call.";
      case IMPORT_TOO_LARGE -> "the server imports files of at most " + limit(e) + " (its --max-import-bytes);"
          + " import a smaller file, or raise that limit.";
      case RESPONSE_TOO_LARGE -> "one answer may carry at most " + limit(e) + "; ask for less at once, such as"
          + " fewer tasks per call.";
      case DISK_FULL -> "the server's disk is full and nothing was changed; free space on it, then try again.";
      case WATCH_LAGGED -> "the watch fell behind after change #" + meta(e, "last_sequence", "?") + "; read what was"
          + " missed with 'execlog history --all', then watch again.";
      case STORAGE_FAILURE -> "the server could not read or write its log and nothing was changed; try again later"
          + " (the server's own log has the details).";
      case SHUTTING_DOWN -> "the server at " + server + " is stopping; try again once it is back.";
      case LOG_IN_USE -> "another program took the log's lock from under the server, which now only reads; stop"
          + " that program, then restart the server (every change it acknowledged is in its journal).";
      case MAINTENANCE_RUNNING -> "another cleanup or import is running on this log (perhaps through another server);"
          + " nothing was changed: run it again once that one has finished.";
      case OPERATION_CANCELLED -> null;
      case UNAUTHENTICATED -> tokenHint();
      case ROLE_TOO_LOW -> "your role is " + meta(e, "role", "?") + ", this needs " + meta(e, "required", "?")
          + "; ask for a token with that role.";
      case INTERNAL -> "this is a defect of the server; its log has the details. Please report it.";
      case ERROR_REASON_UNSPECIFIED, UNRECOGNIZED -> hint(e.code(), server);
    };
  }

  /** Hints for failures without a reason: the transport's own, or a reason newer than this CLI. */
  private static String hint(Status.Code code, String server) {
    return switch (code) {
      case UNAVAILABLE -> "is the server running at " + server + "? Set --server or EXECLOG_SERVER.";
      case DEADLINE_EXCEEDED -> "the server is slow or the log is large; try a longer --timeout.";
      case NOT_FOUND -> "list runs with 'execlog history' and tasks with 'execlog tasks'.";
      case UNAUTHENTICATED -> tokenHint();
      case PERMISSION_DENIED -> "ask for a token with a role that may do this (reader, writer, admin).";
      default -> null;
    };
  }

  private static String tokenHint() {
    return "give a token with EXECLOG_TOKEN or --token-file (and --tls-ca if the server uses TLS).";
  }
}
