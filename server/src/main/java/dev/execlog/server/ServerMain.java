package dev.execlog.server;

import dev.execlog.BuildInfo;
import dev.execlog.server.http.HttpGateway;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.observe.LogSetup;
import dev.execlog.server.observe.OpsEndpoint;
import dev.execlog.server.ops.ChangeFeed;
import dev.execlog.server.ops.Limits;
import dev.execlog.server.migrate.MigrateLogCommand;
import dev.execlog.server.postgres.MigrateCommand;
import dev.execlog.server.postgres.PostgresLocation;
import dev.execlog.server.postgres.StorePasswordOption;
import dev.execlog.server.security.AuthConfig;
import dev.execlog.server.security.TransportSecurity;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code execlog-server} command: serves one execution log over gRPC until stopped. */
@Command(name = "execlog-server", mixinStandardHelpOptions = true, versionProvider = ServerMain.Version.class,
    subcommands = {ServerMain.HashToken.class, MigrateCommand.class, MigrateLogCommand.class},
    description = "Serves the execution log of a project over gRPC.%n"
        + "Every option can also be set by the environment variable shown.",
    footer = {"%nExamples:",
        "  execlog-server                      # ./configs/execution_log.json on 127.0.0.1:50051",
        "  execlog-server --root /srv/project --port 7000",
        "  execlog-server --host 0.0.0.0 --tls-cert server.pem --tls-key server.key --auth-file auth.json",
        "  execlog-server migrate --store postgresql://app@db/log --root /srv/project",
        "  execlog-server --store postgresql://app@db/log --root /srv/project   # after migrate",
        "  execlog-server migrate-log --from configs/execution_log.json --to postgresql://app@db/log"})
public final class ServerMain implements Callable<Integer> {

  private static final Logger LOG = Logger.getLogger("execlog.server");

  @Spec
  CommandSpec spec;

  @Option(names = "--root", defaultValue = "${env:EXECLOG_ROOT:-.}",
      description = "Project root; recorded paths are relative to it (EXECLOG_ROOT, default: current directory).")
  Path root;

  @Option(names = "--log", defaultValue = "${env:EXECLOG_LOG}",
      description = "Log file (EXECLOG_LOG, default: <root>/" + ServerConfig.DEFAULT_LOG + ").")
  Path log;

  @Option(names = "--store", defaultValue = "${env:EXECLOG_STORE:-json}", paramLabel = "json|postgresql://...",
      description = "Where the log lives: json, the --log file (EXECLOG_STORE, default: ${DEFAULT-VALUE}), or a"
          + " PostgreSQL database, postgresql://[USER@]HOST[:PORT]/DB[?sslmode=verify-full&sslrootcert=FILE], prepared"
          + " by the migrate command. Its password never goes on the command line: --store-password-file,"
          + " EXECLOG_STORE_PASSWORD or PGPASSWORD.")
  String store;

  @Mixin
  StorePasswordOption storePassword;

  @Option(names = "--store-connections", defaultValue = "${env:EXECLOG_STORE_CONNECTIONS:-"
      + ServerConfig.DEFAULT_STORE_CONNECTIONS + "}",
      description = "Most connections to the PostgreSQL store; calls beyond them wait for one (EXECLOG_STORE_CONNECTIONS,"
          + " default: ${DEFAULT-VALUE}).")
  int storeConnections;

  @Option(names = "--server-id", defaultValue = "${env:EXECLOG_SERVER_ID}", paramLabel = "NAME",
      description = "Names this server in GetLogInfo, its metrics and its log (EXECLOG_SERVER_ID, default: host name and"
          + " process id); tells apart the servers of one PostgreSQL store.")
  String serverId;

  /** The PostgreSQL store that --store names, or null for the JSON store. */
  private PostgresLocation postgres;

  @Option(names = "--host", defaultValue = "${env:EXECLOG_HOST:-127.0.0.1}",
      description = "Address to listen on (EXECLOG_HOST, default: ${DEFAULT-VALUE}, loopback only).")
  String host;

  @Option(names = "--port", defaultValue = "${env:EXECLOG_PORT:-50051}",
      description = "Port; 0 picks a free one (EXECLOG_PORT, default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--port-file", defaultValue = "${env:EXECLOG_PORT_FILE}",
      description = "Write the port actually bound to this file once serving (EXECLOG_PORT_FILE).")
  Path portFile;

  @Option(names = "--allowed-root", split = ",", defaultValue = "${env:EXECLOG_ALLOWED_ROOTS}",
      description = "Absolute directory outside the project that recorded paths may name; repeatable "
          + "(EXECLOG_ALLOWED_ROOTS, comma-separated).")
  List<Path> allowedRoots = new ArrayList<>();

  @Option(names = "--fold-interval-ms", defaultValue = "${env:EXECLOG_FOLD_INTERVAL_MS:-1000}",
      description = "Longest time a change waits in the journal before the log file shows it "
          + "(EXECLOG_FOLD_INTERVAL_MS, default: ${DEFAULT-VALUE}).")
  long foldIntervalMs;

  @Option(names = "--tls-cert", defaultValue = "${env:EXECLOG_TLS_CERT}",
      description = "PEM certificate chain: serve TLS (EXECLOG_TLS_CERT).")
  Path tlsCert;

  @Option(names = "--tls-key", defaultValue = "${env:EXECLOG_TLS_KEY}",
      description = "PEM private key of --tls-cert (EXECLOG_TLS_KEY).")
  Path tlsKey;

  @Option(names = "--tls-client-ca", defaultValue = "${env:EXECLOG_TLS_CLIENT_CA}",
      description = "PEM CA certificates: require client certificates signed by them (mutual TLS) "
          + "(EXECLOG_TLS_CLIENT_CA).")
  Path tlsClientCa;

  @Option(names = "--auth-file", defaultValue = "${env:EXECLOG_AUTH_FILE}",
      description = "JSON file of bearer-token hashes and certificate subjects with their roles; turns "
          + "authentication on (EXECLOG_AUTH_FILE). See README, Security.")
  Path authFile;

  @Option(names = "--allow-insecure-remote", defaultValue = "${env:EXECLOG_ALLOW_INSECURE_REMOTE:-false}",
      description = "Allow a non-loopback --host without TLS and authentication (not recommended).")
  boolean allowInsecureRemote;

  @Option(names = "--max-message-bytes", defaultValue = "${env:EXECLOG_MAX_MESSAGE_BYTES:-4194304}",
      description = "Largest request message (default: ${DEFAULT-VALUE}).")
  int maxMessageBytes;

  @Option(names = "--max-streams-per-connection", defaultValue = "${env:EXECLOG_MAX_STREAMS_PER_CONNECTION:-100}",
      description = "Concurrent calls one client connection may have open (default: ${DEFAULT-VALUE}).")
  int maxStreams;

  @Option(names = "--max-files-per-run", defaultValue = "${env:EXECLOG_MAX_FILES_PER_RUN:-1000}",
      description = "Input or output files one run may list (default: ${DEFAULT-VALUE}).")
  int maxFilesPerRun;

  @Option(names = "--max-page-size", defaultValue = "${env:EXECLOG_MAX_PAGE_SIZE:-1000}",
      description = "Largest page a List call returns (default: ${DEFAULT-VALUE}).")
  int maxPageSize;

  @Option(names = "--max-run-bytes", defaultValue = "${env:EXECLOG_MAX_RUN_BYTES:-" + Limits.DEFAULT_MAX_RUN_BYTES + "}",
      description = "Most one run may weigh: its texts and extra values in UTF-8 (EXECLOG_MAX_RUN_BYTES, default:"
          + " ${DEFAULT-VALUE}); at most 3 MiB, so that any run fits in one response.")
  int maxRunBytes;

  @Option(names = "--max-import-bytes", defaultValue = "${env:EXECLOG_MAX_IMPORT_BYTES:-2147483648}",
      description = "Largest file an import accepts (default: ${DEFAULT-VALUE}).")
  long maxImportBytes;

  @Option(names = "--watch-queue-capacity",
      defaultValue = "${env:EXECLOG_WATCH_QUEUE_CAPACITY:-" + ChangeFeed.DEFAULT_QUEUE_CAPACITY + "}",
      description = "Changes a watcher may have pending before it is dropped with WATCH_LAGGED and must resume"
          + " from its last sequence (default: ${DEFAULT-VALUE}).")
  int watchQueueCapacity;

  @Option(names = "--http-port", defaultValue = "${env:EXECLOG_HTTP_PORT}", paramLabel = "PORT",
      description = "Serve the HTTP/JSON API (/v1/executions, /v1/tasks, ...) on this port, with the gRPC port's TLS"
          + " files and tokens (0 picks a free one; default: off).")
  Integer httpPort;

  @Option(names = "--http-host", defaultValue = "${env:EXECLOG_HTTP_HOST:-127.0.0.1}",
      description = "Address of the HTTP/JSON port (default: ${DEFAULT-VALUE}, this machine only); another needs"
          + " TLS and --auth-file, as the gRPC port does.")
  String httpHost;

  @Option(names = "--http-port-file", paramLabel = "FILE",
      description = "Write the HTTP/JSON port to this file once it listens (with --http-port 0).")
  Path httpPortFile;

  @Option(names = "--metrics-port", defaultValue = "${env:EXECLOG_METRICS_PORT}", paramLabel = "PORT",
      description = "Serve /metrics (Prometheus), /healthz and /readyz over HTTP on this port (0 picks a free one;"
          + " default: off).")
  Integer metricsPort;

  @Option(names = "--metrics-host", defaultValue = "${env:EXECLOG_METRICS_HOST:-127.0.0.1}",
      description = "Address of the metrics port (default: ${DEFAULT-VALUE}, this machine only).")
  String metricsHost;

  @Option(names = "--log-format", defaultValue = "${env:EXECLOG_LOG_FORMAT:-text}", paramLabel = "text|json",
      converter = LogFormatName.class,
      description = "Log lines as text or as one JSON object each (default: ${DEFAULT-VALUE}).")
  LogSetup.Format logFormat;

  @Option(names = "--log-level", defaultValue = "${env:EXECLOG_LOG_LEVEL:-info}", paramLabel = "error|warn|info|debug",
      converter = LogLevelName.class,
      description = "Least severe level logged (default: ${DEFAULT-VALUE}); debug adds gRPC's and Netty's own lines.")
  LogSetup.Verbosity logLevel;

  @Option(names = "--audit-log", defaultValue = "${env:EXECLOG_AUDIT_LOG}", paramLabel = "FILE",
      description = "Write the audit trail (who changed what, refused calls) to this file as JSON lines, instead of"
          + " into the server log.")
  Path auditLog;

  @Option(names = ConfigFile.OPTION, defaultValue = "${env:" + ConfigFile.ENVIRONMENT + "}", paramLabel = "FILE",
      description = "Read settings from this file: Java properties, 'key = value' with the long option names without"
          + " dashes as keys (port = 7000). A flag beats an environment variable, which beats the file.")
  Path configFile;

  @Option(names = "--print-config",
      description = "Print the settings the server would use, grouped by where each comes from, and exit.")
  boolean printConfig;

  /** The file the settings were read from, or null. */
  private ConfigFile config;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    ServerMain main = new ServerMain();
    CommandLine cli = new CommandLine(main);
    Path file = ConfigFile.locate(args, System::getenv);
    if (file != null) {
      try {
        main.config = ConfigFile.load(file, cli.getCommandSpec(), System::getenv);
        cli.setDefaultValueProvider(main.config);
      } catch (IOException e) {
        System.err.println("execlog-server: cannot use the configuration file " + file + ": " + e.getMessage());
        return 2;
      }
    }
    return cli.execute(args);
  }

  @Override
  public Integer call() throws Exception {
    checkRanges();
    checkStore();
    if (printConfig) {
      spec.commandLine().getOut().print(new SettingsReport(spec, config).asProperties());
      spec.commandLine().getOut().flush();
      return 0;
    }
    LogSetup.apply(logFormat, logLevel, auditLog);
    LOG.info(() -> new SettingsReport(spec, config).summary());
    ExecLogServer server;
    try {
      ServerConfig config = config();
      checkExposure("--host", host);
      NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port),
              TransportSecurity.serverCredentials(tlsCert, tlsKey, tlsClientCa))
          .maxInboundMessageSize(maxMessageBytes)
          .maxConcurrentCallsPerConnection(maxStreams);
      server = ExecLogServer.start(config, builder, watchQueueCapacity);
    } catch (ExecLogException e) {
      spec.commandLine().getErr().println("execlog-server: " + e.getMessage());
      return 1;
    } catch (IOException e) {
      spec.commandLine().getErr().println("execlog-server: cannot listen on " + host + ":" + port + ": " + e.getMessage());
      return 1;
    }
    OpsEndpoint ops;
    try {
      ops = metricsPort == null ? null : OpsEndpoint.start(new InetSocketAddress(metricsHost, metricsPort),
          server.metrics().withJvmMetrics().registry(), server::ready);
    } catch (IOException e) {
      server.close();
      spec.commandLine().getErr().println("execlog-server: cannot serve metrics on " + metricsHost + ":" + metricsPort + ": "
          + e.getMessage());
      return 1;
    }
    HttpGateway http;
    try {
      checkExposure("--http-host", httpHost);
      http = httpPort == null ? null : HttpGateway.start(new InetSocketAddress(httpHost, httpPort), tlsCert, tlsKey,
          server.inProcessChannel(), maxRunBytes + 64L * 1024);
    } catch (ExecLogException | IOException e) {
      server.close();
      if (ops != null) {
        ops.close();
      }
      spec.commandLine().getErr().println("execlog-server: cannot serve the HTTP/JSON API on " + httpHost + ":" + httpPort + ": "
          + e.getMessage());
      return 1;
    }
    long startedNanos = System.nanoTime();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      long stopping = System.nanoTime();
      if (http != null) {
        http.close();
      }
      server.close();
      if (ops != null) {
        ops.close();
      }
      LogSetup.atExit(LOG.getName(), "execlog-server stopped on a termination signal after "
          + Duration.ofNanos(stopping - startedNanos).toSeconds() + " s up: " + server.store().info().executionCount()
          + " runs folded into the log file in " + (System.nanoTime() - stopping) / 1_000_000 + " ms");
    }, "execlog-shutdown"));
    if (http != null && httpPortFile != null) {
      writePortFile(httpPortFile, http.port());
    }
    if (portFile != null) {
      writePortFile(portFile, server.port());
    }
    LOG.info("execlog-server " + BuildInfo.describe() + " serving " + server.store().info().location()
        + " (" + server.store().info().executionCount() + " runs) on " + host + ":" + server.port()
        + ", security: " + securityMode()
        + (ops != null ? "; metrics and probes on http://" + metricsHost + ":" + ops.port() + "/metrics" : "")
        + (http != null ? "; HTTP/JSON API on " + (tlsCert != null ? "https" : "http") + "://" + httpHost + ":"
            + http.port() + "/v1/" : ""));
    server.awaitTermination();
    return 0;
  }

  /** Written beside, then moved, so a reader never sees a half-written port. */
  private static void writePortFile(Path file, int port) throws IOException {
    Path tmp = Path.of(file + ".tmp");
    Files.writeString(tmp, Integer.toString(port));
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private String securityMode() {
    String transport = tlsCert == null ? "plaintext" : tlsClientCa != null ? "mutual TLS" : "TLS";
    String callers = authFile == null ? "no authentication" : "bearer tokens and roles from " + authFile;
    return transport + ", " + callers + (isLoopback(host) ? ", this machine only" : "");
  }

  private ServerConfig config() {
    Path projectRoot = root.toAbsolutePath().normalize();
    Path logFile = log != null ? projectRoot.resolve(log).normalize() : projectRoot.resolve(ServerConfig.DEFAULT_LOG);
    List<Path> allowed = allowedRoots == null ? List.of()
        : allowedRoots.stream().filter(p -> !p.toString().isBlank()).toList();
    AuthConfig auth = authFile != null ? AuthConfig.load(authFile) : null;
    return new ServerConfig(projectRoot, logFile, allowed, Duration.ofMillis(foldIntervalMs),
        new Limits(maxFilesPerRun, maxPageSize, maxImportBytes, maxRunBytes), auth, postgres, storeConnections,
        serverId == null || serverId.isBlank() ? ServerConfig.defaultServerId() : serverId.strip());
  }

  /**
   * Refuses values that would start a server whose calls then fail (a page size of 0, a negative
   * limit): the operator hears about it at start, with the option's name and range, not from
   * INTERNAL errors later. Environment variables land in the same fields, so they are checked too.
   */
  private void checkRanges() {
    inRange("--port", port, 0, 65_535);
    inRange("--fold-interval-ms", foldIntervalMs, 1, Duration.ofDays(1).toMillis());
    inRange("--max-message-bytes", maxMessageBytes, 64 * 1024, Integer.MAX_VALUE);
    inRange("--max-streams-per-connection", maxStreams, 1, 1_000_000);
    inRange("--max-files-per-run", maxFilesPerRun, 1, 1_000_000);
    inRange("--max-page-size", maxPageSize, 1, 1_000_000);
    inRange("--max-import-bytes", maxImportBytes, 1, Long.MAX_VALUE);
    inRange("--max-run-bytes", maxRunBytes, 4096, 3 * 1024 * 1024);
    inRange("--watch-queue-capacity", watchQueueCapacity, 1, 10_000_000);
    inRange("--store-connections", storeConnections, 1, 10_000);
    if (metricsPort != null) {
      inRange("--metrics-port", metricsPort, 0, 65_535);
    }
    if (httpPort != null) {
      inRange("--http-port", httpPort, 0, 65_535);
      if (tlsClientCa != null) {
        // The HTTP port asks for no client certificate: it would let in callers the gRPC port refuses.
        throw new ParameterException(spec.commandLine(), "--http-port cannot be combined with --tls-client-ca: the"
            + " HTTP/JSON port does not ask for client certificates, so it would let in callers the gRPC port"
            + " refuses; give HTTP callers bearer tokens from a server without --tls-client-ca");
      }
    }
  }

  /** Reads --store: json (the default) or a PostgreSQL URL, whose password is read now; anything else is a usage error. */
  private void checkStore() {
    String value = store == null ? "" : store.strip();
    if (value.isEmpty() || value.equals("json")) {
      return;
    }
    if (!PostgresLocation.isPostgres(value)) {
      throw new ParameterException(spec.commandLine(), "Invalid value for option '--store': " + value
          + " (json, or postgresql://HOST:PORT/DB)");
    }
    if (log != null) {
      throw new ParameterException(spec.commandLine(), "--store " + value + " and --log cannot be combined: --log"
          + " names the JSON store's file");
    }
    try {
      postgres = PostgresLocation.parse(value, storePassword.file());
    } catch (ExecLogException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private void inRange(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ParameterException(spec.commandLine(), "Invalid value for option '" + option + "': " + value
          + " is outside its range " + min + ".." + max);
    }
  }

  /** Safe default: without TLS and tokens the log is only reachable from this machine. */
  /** Refuses to serve {@code address} (given by {@code option}) off this machine without TLS and tokens. */
  private void checkExposure(String option, String address) {
    if (isLoopback(address) || (tlsCert != null && authFile != null)) {
      return;
    }
    String missing = tlsCert == null && authFile == null ? "TLS and authentication"
        : tlsCert == null ? "TLS" : "authentication";
    if (!allowInsecureRemote) {
      throw ExecLogException.config("refusing to listen on " + address + " without " + missing + " (" + option
          + "): give --tls-cert/--tls-key and --auth-file, or --allow-insecure-remote if you really mean it");
    }
    spec.commandLine().getErr().println("execlog-server: WARNING: listening on " + address + " without " + missing
        + "; anyone who can reach this port can " + (authFile == null ? "change the log" : "read the traffic"));
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** {@code --version}: the build's version and commit, as every execlog program prints them. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"execlog-server " + BuildInfo.describe()};
    }
  }

  /** Reads {@code text} or {@code json}. */
  static final class LogFormatName implements ITypeConverter<LogSetup.Format> {
    @Override
    public LogSetup.Format convert(String value) {
      return LogSetup.Format.valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
  }

  /** Reads {@code error}, {@code warn}, {@code info} or {@code debug}. */
  static final class LogLevelName implements ITypeConverter<LogSetup.Verbosity> {
    @Override
    public LogSetup.Verbosity convert(String value) {
      return LogSetup.Verbosity.valueOf(value.strip().toUpperCase(Locale.ROOT));
    }
  }

  /** {@code execlog-server hash-token}: prints the SHA-256 to put in the auth file. */
  @Command(name = "hash-token", mixinStandardHelpOptions = true,
      description = "Reads a token from standard input and prints the hash the auth file stores.",
      footer = {"%nExample:", "  openssl rand -hex 32 | tee ci.token | execlog-server hash-token"})
  static final class HashToken implements Callable<Integer> {
    @Override
    public Integer call() throws IOException {
      String token = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).trim();
      if (token.isEmpty()) {
        System.err.println("execlog-server hash-token: no token on standard input");
        return 2;
      }
      System.out.println(AuthConfig.hashHex(token));
      return 0;
    }
  }
}
