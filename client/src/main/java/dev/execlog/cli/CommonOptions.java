package dev.execlog.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The options every subcommand that talks to the server shares. */
public final class CommonOptions {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final Duration DEFAULT_LONG_TIMEOUT = Duration.ofHours(1);

  @Option(names = "--server", paramLabel = "HOST:PORT",
      defaultValue = "${env:EXECLOG_SERVER:-localhost:50051}",
      description = "Server address (env EXECLOG_SERVER; default: ${DEFAULT-VALUE}).")
  String server;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Deadline of each call, such as 30s or 2m (default: 30s; cleanup, validate,"
          + " export and import: 1h).")
  Duration timeout;

  @Option(names = "--json", description = "Print JSON for scripts: one object per line for lists.")
  boolean json;

  @Option(names = {"-v", "--verbose"}, description = "Say more on stderr; print stack traces on errors.")
  boolean verbose;

  /** The deadline of short calls. */
  Duration shortTimeout() {
    return timeout != null ? timeout : DEFAULT_TIMEOUT;
  }

  /** The deadline of streaming maintenance calls: an explicit --timeout wins, else one hour. */
  Duration longTimeout() {
    return timeout != null ? timeout : DEFAULT_LONG_TIMEOUT;
  }
}
