package dev.execlog.client;

import dev.execlog.server.ExecLogServer;
import dev.execlog.server.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A real server per test over the in-process transport, and a client connected to it. */
final class InProcessLogServer implements BeforeEachCallback, AfterEachCallback {

  private ExecLogServer server;
  private ManagedChannel channel;
  private ExecutorService executor;
  private ExecutionLogClient client;
  private Path root;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    root = Files.createTempDirectory("execlog-client-");
    String name = InProcessServerBuilder.generateName();
    executor = Executors.newFixedThreadPool(4);
    server = ExecLogServer.start(ServerConfig.forProject(root), InProcessServerBuilder.forName(name).executor(executor));
    channel = InProcessChannelBuilder.forName(name).build();
    client = new ExecutionLogClient(channel, Duration.ofSeconds(10), Duration.ofMinutes(1));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    client.close();
    channel.shutdownNow();
    server.close();
    executor.shutdownNow();
  }

  ExecutionLogClient client() {
    return client;
  }

  Path root() {
    return root;
  }
}
