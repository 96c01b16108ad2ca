package dev.execlog.server;

import dev.execlog.v1.ExecutionLogServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real execlog server per test over the in-process transport, on a fresh project directory, with
 * everything shut down afterwards (the JUnit 5 counterpart of grpc-testing's GrpcCleanupRule).
 * The server runs on its own executor: streaming calls wait on flow control, which a direct
 * executor shared with the client would deadlock.
 */
public final class LogServerExtension implements BeforeEachCallback, AfterEachCallback {

  private Path root;
  private ExecLogServer server;
  private ManagedChannel channel;
  private ExecutorService executor;
  private String name;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    root = Files.createTempDirectory("execlog-test-");
    start();
  }

  /** Starts (or restarts) the server on the same project directory. */
  public void start() throws IOException {
    start(c -> c);
  }

  /** Starts the server with a changed configuration (limits, auth). */
  public void start(java.util.function.UnaryOperator<ServerConfig> change) throws IOException {
    name = InProcessServerBuilder.generateName();
    executor = Executors.newFixedThreadPool(8);
    server = ExecLogServer.start(change.apply(config()), InProcessServerBuilder.forName(name).executor(executor));
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  public ServerConfig config() {
    return ServerConfig.forProject(root).withFoldInterval(Duration.ofMillis(200));
  }

  /** Stops the server as a clean shutdown would: the journal is folded into the file. */
  public void stop() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
    server.close();
    executor.shutdownNow();
  }

  public void restart() throws Exception {
    stop();
    start();
  }

  public ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub stub() {
    return ExecutionLogServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  public ExecutionLogServiceGrpc.ExecutionLogServiceStub asyncStub() {
    return ExecutionLogServiceGrpc.newStub(channel);
  }

  public ManagedChannel channel() {
    return channel;
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
