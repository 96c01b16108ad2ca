package dev.execlog.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real execlog server in a process of its own (the server's main class on this test's class
 * path), on a project root and a loopback port, so that a test can kill it with SIGKILL and start
 * it again on the same port.
 */
public final class ServerProcess implements AutoCloseable {

  private final Path root;
  private Process process;
  private int port;

  private ServerProcess(Path root) {
    this.root = root;
  }

  /** Starts a server on {@code root} and a free port. */
  public static ServerProcess start(Path root) throws Exception {
    ServerProcess s = new ServerProcess(root);
    s.launch(0);
    return s;
  }

  public int port() {
    return port;
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  public Path root() {
    return root;
  }

  /** SIGKILL: the process dies at once, its connections close, nothing is flushed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Starts the server again on the same root and port (after {@link #kill()}). */
  public void restart() throws Exception {
    launch(port);
  }

  private void launch(int wantedPort) throws Exception {
    Files.createDirectories(root);
    Path portFile = root.resolveSibling(root.getFileName() + ".port");
    Files.deleteIfExists(portFile);
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"), "dev.execlog.server.ServerMain",
        "--root", root.toString(), "--port", Integer.toString(wantedPort), "--port-file", portFile.toString()));
    Path log = root.resolveSibling(root.getFileName() + ".server.log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("EXECLOG_"));
    process = pb.start();
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IOException("the server exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      if (Files.exists(portFile)) {
        String text = Files.readString(portFile).strip();
        if (!text.isEmpty()) {
          port = Integer.parseInt(text);
          return;
        }
      }
      if (System.nanoTime() > end) {
        process.destroyForcibly();
        throw new IOException("the server did not write its port within 30 s");
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
