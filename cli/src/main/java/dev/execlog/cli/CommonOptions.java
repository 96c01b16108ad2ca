package dev.execlog.cli;

import dev.execlog.client.ConnectionOptions;
import dev.execlog.client.ExecutionLogClient;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The options every subcommand that talks to the server shares. The connection options start from
 * the environment as the Java client reads it ({@link ConnectionOptions#fromEnvironment()}), so the
 * CLI and the library cannot disagree; an option given here wins over its variable.
 */
public final class CommonOptions {

  static final Duration DEFAULT_TIMEOUT = ExecutionLogClient.DEFAULT_TIMEOUT;
  static final Duration DEFAULT_LONG_TIMEOUT = ExecutionLogClient.DEFAULT_LONG_TIMEOUT;

  @Option(names = "--server", paramLabel = "HOST:PORT",
      description = "Server address (env EXECLOG_SERVER; default: " + ConnectionOptions.DEFAULT_TARGET + ").")
  String server;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Deadline of each call, such as 30s or 2m (default: 30s; cleanup, validate,"
          + " export and import: 1h).")
  Duration timeout;

  @Option(names = "--tls-ca", paramLabel = "PEM",
      description = "Use TLS, trusting these CA certificates (env EXECLOG_TLS_CA).")
  Path tlsCa;

  @Option(names = "--tls-cert", paramLabel = "PEM",
      description = "Client certificate for mutual TLS (env EXECLOG_TLS_CERT).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM",
      description = "Private key of --tls-cert (env EXECLOG_TLS_KEY).")
  Path tlsKey;

  @Option(names = "--tls-authority", paramLabel = "NAME",
      description = "Name to expect in the server's certificate when it differs from the host"
          + " (env EXECLOG_TLS_AUTHORITY).")
  String tlsAuthority;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "Read the bearer token from this file (env EXECLOG_TOKEN_FILE; or put the token itself in"
          + " EXECLOG_TOKEN). Never pass tokens on the command line: other users can see it.")
  Path tokenFile;

  @Option(names = "--json", description = "Print JSON for scripts: one object per line for lists.")
  boolean json;

  @Option(names = {"-v", "--verbose"}, description = "Say more on stderr; print stack traces on errors.")
  boolean verbose;

  /** How to reach the server: the environment's settings, overridden by the options given. */
  ConnectionOptions connection() {
    try {
      ConnectionOptions c = ConnectionOptions.fromEnvironment();
      if (server != null) {
        c = c.withTarget(server);
      }
      if (tlsCa != null) {
        c = c.withCaFile(tlsCa);
      }
      if (tlsCert != null || tlsKey != null) {
        c = c.withClientCertificate(tlsCert != null ? tlsCert : c.certFile(), tlsKey != null ? tlsKey : c.keyFile());
      }
      if (tlsAuthority != null) {
        c = c.withAuthority(tlsAuthority);
      }
      return tokenFile != null ? c.withTokenFile(tokenFile) : c;
    } catch (UncheckedIOException e) {
      throw new CliFailure("connect", e.getMessage(), ExitCode.ERROR, null, e);
    }
  }

  /** The deadline of short calls. */
  Duration shortTimeout() {
    return timeout != null ? timeout : DEFAULT_TIMEOUT;
  }

  /** The deadline of streaming maintenance calls: an explicit --timeout wins, else one hour. */
  Duration longTimeout() {
    return timeout != null ? timeout : DEFAULT_LONG_TIMEOUT;
  }
}
