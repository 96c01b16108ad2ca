package dev.execlog.server;

import dev.execlog.server.postgres.PostgresLocation;
import dev.execlog.server.postgres.SharedPostgres;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import dev.execlog.server.json.LoadedLog;
import dev.execlog.server.ops.LogExporter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real execlog server per test on a fresh project directory, with everything shut down and
 * removed afterwards (the JUnit 5 counterpart of grpc-testing's GrpcCleanupRule). The one server
 * fixture of every module: published in the server's test jar, and used by the client and CLI
 * tests too. In-process by default; {@link #overLoopback()} serves a real socket on 127.0.0.1 for
 * tests that go through a client's own connection code. The server runs on its own executor:
 * streaming calls wait on flow control, which a direct executor shared with the client would
 * deadlock.
 *
 * <p>The store is the JSON file unless the system property {@code execlog.test.store} is
 * {@code postgresql}: then every server of the test runs on one shared throwaway PostgreSQL
 * database, emptied before each test, so the same tests check both stores. Tests about the JSON
 * file itself carry {@link JsonFileOnly}.
 */
public final class LogServerExtension implements BeforeEachCallback, AfterEachCallback {

  /** Whether this test run's servers keep their log in PostgreSQL. */
  public static final boolean ON_POSTGRES = "postgresql".equals(System.getProperty("execlog.test.store"));

  private final boolean loopback;
  private UnaryOperator<ServerConfig> configure = UnaryOperator.identity();
  private int watchQueueCapacity;
  private Path root;
  private PostgresLocation database;
  private ExecLogServer server;
  private ManagedChannel channel;
  private ExecutorService executor;
  private String name;

  /** A server over the in-process transport. */
  public LogServerExtension() {
    this(false);
  }

  private LogServerExtension(boolean loopback) {
    this.loopback = loopback;
  }

  /** A server on a free port of 127.0.0.1, without TLS. */
  public static LogServerExtension overLoopback() {
    return new LogServerExtension(true);
  }

  /** Changes the configuration of every start (limits, auth), before the first. */
  public LogServerExtension configured(UnaryOperator<ServerConfig> change) {
    this.configure = change;
    return this;
  }

  /** Lets a watcher have only this many changes pending before it is dropped as lagging. */
  public LogServerExtension withWatchQueueCapacity(int capacity) {
    this.watchQueueCapacity = capacity;
    return this;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    root = Files.createTempDirectory("execlog-test-");
    if (ON_POSTGRES) {
      database = SharedPostgres.emptyLog(root.toAbsolutePath().normalize());
    }
    start();
  }

  /** Starts (or restarts) the server on the same project directory. */
  public void start() throws IOException {
    start(UnaryOperator.identity());
  }

  /** Starts the server with a configuration changed for this start only. */
  public void start(UnaryOperator<ServerConfig> change) throws IOException {
    executor = Executors.newFixedThreadPool(8);
    ServerConfig config = change.apply(config());
    ServerBuilder<?> builder;
    if (loopback) {
      builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
          .executor(executor);
    } else {
      name = InProcessServerBuilder.generateName();
      builder = InProcessServerBuilder.forName(name).executor(executor);
    }
    server = watchQueueCapacity > 0 ? ExecLogServer.start(config, builder, watchQueueCapacity)
        : ExecLogServer.start(config, builder);
    channel = loopback
        ? Grpc.newChannelBuilder(address(), InsecureChannelCredentials.create()).build()
        : InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  /** The configuration of the next start: the project directory, a short fold interval, and {@link #configured}. */
  public ServerConfig config() {
    ServerConfig base = ServerConfig.forProject(root).withFoldInterval(Duration.ofMillis(200));
    return configure.apply(database == null ? base : base.withPostgres(database, 8));
  }

  /** Stops the server as a clean shutdown would: the journal is folded into the file. */
  public void stop() throws InterruptedException {
    if (server == null) {
      return;
    }
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    server.close();
    server = null;
    executor.shutdownNow();
  }

  public void restart() throws Exception {
    stop();
    start();
  }

  /**
   * Restarts the server on a log with the given content in the JSON file's format, to test logs the
   * API cannot make. On PostgreSQL the log replaces the database's content as an import would, so a
   * test that needs the file's own oddities (values only a file can hold) is {@link JsonFileOnly}.
   */
  public void restartWithLog(String json) throws Exception {
    stop();
    if (database != null) {
      start();
      LoadedLog loaded = server.store().codec().read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
          null);
      server.store().replace(loaded.metadata(), loaded.executions());
      return;
    }
    Path log = logFile();
    Files.createDirectories(log.getParent());
    Files.writeString(log, json);
    start();
  }

  public ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub stub() {
    return ExecutionLogServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public ExecutionLogServiceGrpc.ExecutionLogServiceStub asyncStub() {
    return ExecutionLogServiceGrpc.newStub(channel);
  }

  /** A channel to the server, owned by this fixture. */
  public ManagedChannel channel() {
    return channel;
  }

  /** Where a client connects: {@code 127.0.0.1:port} over loopback, else the in-process name. */
  public String address() {
    return loopback ? "127.0.0.1:" + server.port() : name;
  }

  public ExecLogServer server() {
    return server;
  }

  public Path root() {
    return root;
  }

  /**
   * The whole log in the JSON file's format, as the store holds it now: the file after a fold on
   * the JSON store, an export of one snapshot on PostgreSQL. Tests that check that a refused call
   * changed nothing compare it before and after.
   */
  public byte[] storedLog() throws IOException {
    server.store().flush();
    if (database == null) {
      return Files.readAllBytes(config().logFile());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new LogExporter(server.store()).exportAll(LogExporter.Format.JSON, out);
    return out.toByteArray();
  }

  /** The JSON log file; a test that reads it is about the file, so it is {@link JsonFileOnly}. */
  public Path logFile() {
    requireJsonStore("logFile");
    return config().logFile();
  }

  private void requireJsonStore(String what) {
    if (database != null) {
      throw new IllegalStateException(what + "() is about the JSON file, but this run's store is PostgreSQL:"
          + " mark the test @JsonFileOnly");
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    stop();
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
