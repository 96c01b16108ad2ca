package dev.execlog.cli;

import dev.execlog.client.ConnectionOptions;
import dev.execlog.client.ExecutionLogClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The options every subcommand that talks to the server shares, accepted before the command as
 * well as after it. The connection settings resolve as {@link Settings} says: an option wins over
 * its environment variable (the variables the Java client reads), which wins over the profile.
 */
public final class CommonOptions {

  static final Duration DEFAULT_TIMEOUT = ExecutionLogClient.DEFAULT_TIMEOUT;
  static final Duration DEFAULT_LONG_TIMEOUT = ExecutionLogClient.DEFAULT_LONG_TIMEOUT;

  @Option(names = "--server", paramLabel = "HOST:PORT[,...]",
      description = "Server address (env EXECLOG_SERVER; default: " + ConnectionOptions.DEFAULT_TARGET + "), or"
          + " several servers of one log separated by commas: calls are spread over them, and reads and records"
          + " that meet an unavailable server are retried, on another one when there is one.")
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

  @Option(names = "--format", paramLabel = "FORMAT", completionCandidates = OutputFormat.Names.class,
      description = "Output format: table, json, yaml or csv (default: table). lineage and stats draw"
          + " pictures too: see their help.")
  String format;

  @Option(names = "--json", description = "Same as --format json: one JSON object per line for lists.")
  boolean json;

  @Option(names = "--config", paramLabel = "FILE",
      description = "Read profiles from this file (env EXECLOG_CONFIG; default:"
          + " $XDG_CONFIG_HOME/execlog/config, else ~/.config/execlog/config).")
  Path config;

  @Option(names = "--profile", paramLabel = "NAME",
      description = "Use this profile of the config file (env EXECLOG_PROFILE).")
  String profile;

  @Option(names = {"-v", "--verbose"}, description = "Say more on stderr; print stack traces on errors.")
  boolean verbose;

  /**
   * These options, given after the command, over those given before it: {@code execlog --server X
   * info} and {@code execlog info --server X} mean the same, and the one after the command wins.
   */
  CommonOptions over(CommonOptions before) {
    if (before == null) {
      return this;
    }
    CommonOptions m = new CommonOptions();
    m.server = server != null ? server : before.server;
    m.timeout = timeout != null ? timeout : before.timeout;
    m.tlsCa = tlsCa != null ? tlsCa : before.tlsCa;
    m.tlsCert = tlsCert != null ? tlsCert : before.tlsCert;
    m.tlsKey = tlsKey != null ? tlsKey : before.tlsKey;
    m.tlsAuthority = tlsAuthority != null ? tlsAuthority : before.tlsAuthority;
    m.tokenFile = tokenFile != null ? tokenFile : before.tokenFile;
    m.format = format != null ? format : before.format;
    m.json = json || before.json;
    m.config = config != null ? config : before.config;
    m.profile = profile != null ? profile : before.profile;
    m.verbose = verbose || before.verbose;
    return m;
  }

  /**
   * The format asked for with --format or --json, checked against those {@code command} prints;
   * null when none was asked for.
   */
  String format(String command, List<String> allowed) {
    if (format != null && json && !format.equalsIgnoreCase("json")) {
      throw new CliFailure(command, "--json and --format " + format + " disagree; give one", ExitCode.USAGE);
    }
    String f = format != null ? format.toLowerCase(Locale.ROOT) : json ? "json" : null;
    if (f != null && !allowed.contains(f)) {
      throw new CliFailure(command, "--format " + format + " is not one of " + String.join(", ", allowed)
          + Typos.hint(format, allowed), ExitCode.USAGE);
    }
    return f;
  }

  /** The deadline of short calls; {@code settings} may supply a profile's timeout. */
  Duration shortTimeout(Settings settings) {
    Duration p = settings == null ? null : settings.profileTimeout();
    return timeout != null ? timeout : p != null ? p : DEFAULT_TIMEOUT;
  }

  /** The deadline of long calls: an explicit --timeout (or a profile's) wins, else one hour. */
  Duration longTimeout(Settings settings) {
    Duration p = settings == null ? null : settings.profileTimeout();
    return timeout != null ? timeout : p != null ? p : DEFAULT_LONG_TIMEOUT;
  }
}
