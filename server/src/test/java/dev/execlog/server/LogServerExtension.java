package dev.execlog.server;

import dev.execlog.v1.ExecutionLogServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
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
 */
public final class LogServerExtension implements BeforeEachCallback, AfterEachCallback {

  private final boolean loopback;
  private UnaryOperator<ServerConfig> configure = UnaryOperator.identity();
  private int watchQueueCapacity;
  private Path root;
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
    return configure.apply(ServerConfig.forProject(root).withFoldInterval(Duration.ofMillis(200)));
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

  /** Restarts the server on a log file with the given content, to test logs the API cannot make. */
  public void restartWithLog(String json) throws Exception {
    stop();
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

  public Path logFile() {
    return config().logFile();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    stop();
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
