package dev.execlog.cli;

import dev.execlog.client.ConnectionOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  @Option(names = "--tls-ca", paramLabel = "PEM", defaultValue = "${env:EXECLOG_TLS_CA}",
      description = "Use TLS, trusting these CA certificates (env EXECLOG_TLS_CA).")
  Path tlsCa;

  @Option(names = "--tls-cert", paramLabel = "PEM", defaultValue = "${env:EXECLOG_TLS_CERT}",
      description = "Client certificate for mutual TLS (env EXECLOG_TLS_CERT).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", defaultValue = "${env:EXECLOG_TLS_KEY}",
      description = "Private key of --tls-cert (env EXECLOG_TLS_KEY).")
  Path tlsKey;

  @Option(names = "--tls-authority", paramLabel = "NAME", defaultValue = "${env:EXECLOG_TLS_AUTHORITY}",
      description = "Name to expect in the server's certificate when it differs from the host.")
  String tlsAuthority;

  @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "${env:EXECLOG_TOKEN_FILE}",
      description = "Read the bearer token from this file (env EXECLOG_TOKEN_FILE; or put the token itself in"
          + " EXECLOG_TOKEN). Never pass tokens on the command line: other users can see it.")
  Path tokenFile;

  @Option(names = "--json", description = "Print JSON for scripts: one object per line for lists.")
  boolean json;

  @Option(names = {"-v", "--verbose"}, description = "Say more on stderr; print stack traces on errors.")
  boolean verbose;

  /** How to reach the server: address, TLS files and token, from the options and environment. */
  ConnectionOptions connection() {
    String token = System.getenv("EXECLOG_TOKEN");
    if (tokenFile != null) {
      try {
        token = Files.readString(tokenFile).trim();
      } catch (IOException e) {
        throw new CliFailure("read the token file " + tokenFile, e.getMessage(), ExitCode.ERROR, null, e);
      }
    }
    return new ConnectionOptions(server, tlsCa, tlsCert, tlsKey,
        token == null || token.isBlank() ? null : token.trim(), tlsAuthority);
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
