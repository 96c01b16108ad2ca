package dev.execlog.cli;

import dev.execlog.client.ConnectionOptions;
import dev.execlog.client.ExecLogClientException;
import dev.execlog.client.ExecutionLogClient;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
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
  private final Cancellation cancellation = new Cancellation();
  private final long started = System.nanoTime();

  Session(CommonOptions options, PrintWriter out, PrintWriter err, InputStream stdin) {
    this.options = options;
    this.err = err;
    this.stdin = stdin;
    this.printer = new Printer(out, err, options.json, Clock.systemDefaultZone());
    ConnectionOptions connection = options.connection();
    this.server = connection.target();
    this.client = ExecutionLogClient.connect(connection, options.shortTimeout(), options.longTimeout());
    verbose("server " + server + (connection.usesTls() ? " over TLS" : "")
        + (connection.token() != null ? " with a token" : "") + ", timeout " + HumanFormat.duration(options.shortTimeout()));
  }

  /** Runs one call; a failure becomes a {@link CliFailure} that says what was being done. */
  <T> T call(String what, Supplier<T> body) {
    try {
      return cancellation.call(body);
    } catch (ExecLogClientException e) {
      throw Failures.from(what, e, server);
    }
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
