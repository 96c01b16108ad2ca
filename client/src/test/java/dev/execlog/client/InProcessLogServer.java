package dev.execlog.client;

import dev.execlog.server.LogServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The server fixture ({@link LogServerExtension}) with a Java client connected to it. */
final class InProcessLogServer implements BeforeEachCallback, AfterEachCallback {

  private final LogServerExtension server = new LogServerExtension();
  private ExecutionLogClient client;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    server.beforeEach(context);
    client = new ExecutionLogClient(server.channel(), Duration.ofSeconds(10), Duration.ofMinutes(1));
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    client.close();
    server.afterEach(context);
  }

  ExecutionLogClient client() {
    return client;
  }

  Path root() {
    return server.root();
  }
}
