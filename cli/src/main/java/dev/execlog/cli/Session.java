package dev.execlog.cli;

import dev.execlog.client.ConnectionOptions;
import dev.execlog.client.ExecLogClientException;
import dev.execlog.client.ExecutionLogClient;
import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.Run;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What one command needs while it runs: a client connected to the server, the printer, and
 * cancellation on Ctrl-C. Closing it closes the channel, then releases the cancellation hook.
 */
final class Session implements AutoCloseable {

  private final CommonOptions options;
  private final String server;
  private final ExecutionLogClient client;
  private final Printer printer;
  private final PrintWriter err;
  private final InputStream stdin;
  private final Cancellation cancellation;
  private final long started = System.nanoTime();

  private final Duration timeout;
  private final String format;

  /**
   * @param options the options of the command line, those before the command merged in
   * @param format the output format asked for (checked by the command), or null for its default
   * @param printerFormat the printer's format: table (null), json, yaml or csv
   */
  Session(CommonOptions options, String format, String printerFormat, Map<String, String> env, PrintWriter out,
      PrintWriter err, InputStream stdin) {
    this.options = options;
    this.err = err;
    this.stdin = stdin;
    this.cancellation = new Cancellation(err);
    this.format = format;
    this.printer = new Printer(out, err, printerFormat, Clock.systemDefaultZone());
    Settings settings = Settings.resolve(options, env);
    ConnectionOptions connection = settings.connection();
    this.server = connection.target();
    this.timeout = options.shortTimeout(settings);
    this.client = ExecutionLogClient.connect(connection, timeout, options.longTimeout(settings));
    verbose("server " + server + " (" + settings.values().get("server").source() + ")"
        + (connection.usesTls() ? " over TLS" : "") + (connection.token() != null ? " with a token" : "")
        + (settings.profile() != null ? ", profile " + settings.profile() : "")
        + ", timeout " + HumanFormat.duration(timeout));
  }

  /** The output format asked for with --format or --json, or null for the command's default. */
  String format() {
    return format;
  }

  /** Runs one call; a failure becomes a {@link CliFailure} that says what was being done. */
  <T> T call(String what, Supplier<T> body) {
    try {
      return cancellation.call(body);
    } catch (ExecLogClientException e) {
      throw Failures.from(what, e, server, timeout);
    }
  }

  /**
   * Runs a call that changes the log in one commit (a cleanup, an import), whose progress goes
   * through a {@link CommitTracker}. Ctrl-C then tells the truth: before the server reports the
   * commit it cancels, and the change is not made; after it, the change stands and the failure says
   * so with {@link ExitCode#INTERRUPTED_AFTER_COMMIT}.
   */
  <T> T callChange(String what, Supplier<T> body) {
    try {
      return call(what, body);
    } catch (CliFailure f) {
      if (!cancellation.wasInterrupted()) {
        throw f;
      }
      String change = cancellation.committedChange();
      if (change != null) {
        throw new CliFailure(what, "interrupted before the end of the answer, after the server committed: "
            + change, ExitCode.INTERRUPTED_AFTER_COMMIT, "the change stands; 'execlog history' shows the log.",
            f.getCause());
      }
      throw new CliFailure(what, "interrupted before the server reported a commit, so the call was cancelled;"
          + " the server changes nothing once it sees that", ExitCode.INTERRUPTED,
          "a commit already under way at that moment would still stand: the server's audit log records"
          + " every change.", f.getCause());
    }
  }

  /** Where a {@link CommitTracker} reports the server's commit. */
  void committed(String change) {
    cancellation.committed(change);
  }

  /**
   * The full id of the run {@code idOrPrefix} names: a whole id as given, or the one run whose id
   * starts with it (at least 4 characters, as git takes commit prefixes). The server has no prefix
   * query, so a prefix is looked up by listing the runs, newest first. No match is NOT_FOUND;
   * several are a usage error listing them.
   */
  String resolveRun(String idOrPrefix) {
    String id = idOrPrefix.strip().toLowerCase(Locale.ROOT);
    if (id.length() >= 36 || !id.matches("[0-9a-f-]+")) {
      return idOrPrefix;
    }
    if (id.length() < 4) {
      throw new CliFailure("find run " + idOrPrefix, "a run id prefix needs at least 4 characters", ExitCode.USAGE);
    }
    List<Run> matches = new ArrayList<>();
    call("find runs whose id starts with " + id, () -> {
      for (Run r : client.historyPages(
          new HistoryQuery(null, false, null, null), 1000)) {
        if (r.runId().startsWith(id)) {
          matches.add(r);
          if (matches.size() > 10) {
            break;
          }
        }
      }
      return null;
    });
    if (matches.isEmpty()) {
      throw new CliFailure("find run " + idOrPrefix, "no run id starts with " + id, ExitCode.NOT_FOUND,
          "find run ids with 'execlog history'.", null);
    }
    if (matches.size() > 1) {
      StringBuilder list = new StringBuilder();
      HumanFormat human = new HumanFormat(Clock.systemDefaultZone());
      matches.stream().limit(10).forEach(r -> list.append("\n  ").append(r.runId()).append("  ").append(r.taskId())
          .append("  ").append(human.clockTime(r.recordTime())));
      throw new CliFailure("find run " + idOrPrefix, "the prefix " + id + " is ambiguous; it starts "
          + (matches.size() > 10 ? "more than 10" : String.valueOf(matches.size())) + " run ids:" + list,
          ExitCode.USAGE, "give more characters of the id.", null);
    }
    String full = matches.get(0).runId();
    verbose("run " + id + " is " + full);
    return full;
  }

  /** Ends a stream cleanly on Ctrl-C (see {@link Cancellation#onInterrupt}). */
  void onInterrupt(Runnable closer) {
    cancellation.onInterrupt(closer);
  }

  boolean interrupted() {
    return cancellation.wasInterrupted();
  }

  ExecutionLogClient client() {
    return client;
  }

  Printer printer() {
    return printer;
  }

  PrintWriter err() {
    return err;
  }

  InputStream stdin() {
    return stdin;
  }

  String server() {
    return server;
  }

  void verbose(String message) {
    if (options.verbose) {
      err.println("execlog: " + message);
      err.flush();
    }
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      cancellation.close();
      verbose("done in " + HumanFormat.duration(Duration.ofNanos(System.nanoTime() - started)));
    }
  }
}
