package dev.execlog.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The packaged server started as a real operating-system process, for crash and start-up tests. */
final class ServerProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  private final Path output;

  private ServerProcess(Process process, int port, Path output) {
    this.process = process;
    this.port = port;
    this.output = output;
  }

  static Path jar() {
    String jar = System.getProperty("execlog.server.jar");
    if (jar == null || !Files.exists(Path.of(jar))) {
      throw new IllegalStateException("run through Maven's verify phase: the packaged server jar is missing (" + jar + ")");
    }
    return Path.of(jar);
  }

  /** Starts the server on {@code root} and waits until it serves; fails if the process exits first. */
  static ServerProcess start(Path root, String... extraArgs) throws IOException, InterruptedException {
    Path portFile = root.resolve("port-" + System.nanoTime());
    Path output = Files.createTempFile("execlog-server-", ".out");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", jar().toString(), "--root", root.toString(), "--port", "0",
        "--port-file", portFile.toString()));
    command.addAll(List.of(extraArgs));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!Files.exists(portFile)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited with " + process.exitValue() + ": " + Files.readString(output));
      }
      if (System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("server did not start in 60 s: " + Files.readString(output));
      }
      Thread.sleep(20);
    }
    int port = Integer.parseInt(Files.readString(portFile).trim());
    Files.delete(portFile);
    return new ServerProcess(process, port, output);
  }

  int port() {
    return port;
  }

  String output() throws IOException {
    return Files.readString(output);
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM: a clean shutdown; returns the exit code. */
  int stop() throws InterruptedException {
    process.destroy();
    return process.waitFor();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
