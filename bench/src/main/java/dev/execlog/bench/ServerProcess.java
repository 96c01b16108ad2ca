package dev.execlog.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The execlog server as a child process: started on a project root, measured, stopped or killed. */
final class ServerProcess implements AutoCloseable {

  private static final Pattern HEAP_USED = Pattern.compile("total\\s+(\\d+)K,\\s+used\\s+(\\d+)K");

  private final Process process;
  private final Path stderrFile;
  private final int port;
  private final long startupNanos;
  private final long startupCpuNanos;

  private ServerProcess(Process process, Path stderrFile, int port, long startupNanos, long startupCpuNanos) {
    this.process = process;
    this.stderrFile = stderrFile;
    this.port = port;
    this.startupNanos = startupNanos;
    this.startupCpuNanos = startupCpuNanos;
  }

  /**
   * Starts {@code java <jvmOpts> -jar <jar> --root <root> --port 0 --port-file <file> <extra>} and
   * waits for the port file. Start-up time is from just before the process starts to the moment the
   * port file is seen (polled every 2 ms).
   */
  static ServerProcess start(Path jar, Path root, List<String> jvmOpts, List<String> extraArgs, Path workDir,
                             String name, long timeoutMs) throws IOException, InterruptedException {
    Path portFile = workDir.resolve(name + ".port");
    Files.deleteIfExists(portFile);
    Path stderr = workDir.resolve(name + ".server.log");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmOpts);
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.add("--root");
    cmd.add(root.toString());
    cmd.add("--port");
    cmd.add("0");
    cmd.add("--port-file");
    cmd.add(portFile.toString());
    cmd.addAll(extraArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    long t0 = System.nanoTime();
    Process p = pb.start();
    long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!Files.exists(portFile)) {
      if (!p.isAlive()) {
        throw new IOException("the server exited with " + p.exitValue() + " before serving; its output:\n"
            + tail(stderr, 40));
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IOException("the server did not serve within " + timeoutMs + " ms; its output:\n"
            + tail(stderr, 40));
      }
      Thread.sleep(2);
    }
    long startup = System.nanoTime() - t0;
    // The CPU the server used to start: on a shared machine wall time depends on what else runs,
    // this does not.
    long cpu = p.toHandle().info().totalCpuDuration().map(d -> d.toNanos()).orElse(-1L);
    int port = Integer.parseInt(Files.readString(portFile).trim());
    return new ServerProcess(p, stderr, port, startup, cpu);
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  double startupMs() {
    return startupNanos / 1e6;
  }

  /** CPU time (all threads) the server had used when its port file appeared; -1 when the OS does not say. */
  double startupCpuMs() {
    return startupCpuNanos < 0 ? -1 : startupCpuNanos / 1e6;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path outputFile() {
    return stderrFile;
  }

  /** Heap after a full GC: {total, used} in bytes, from {@code jcmd GC.run} then {@code GC.heap_info}. */
  long[] heapAfterGc() throws IOException, InterruptedException {
    jcmd("GC.run");
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    Matcher m = HEAP_USED.matcher(info);
    if (!m.find()) {
      throw new IOException("cannot read the heap from jcmd GC.heap_info:\n" + info);
    }
    return new long[] {Long.parseLong(m.group(1)) * 1024, Long.parseLong(m.group(2)) * 1024};
  }

  /** Resident set size in bytes, from /proc; -1 when unknown. */
  long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through
    }
    return -1;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(Files.exists(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid()), command)
        .redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("jcmd " + command + " timed out");
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  /** SIGTERM (the server folds its journal into the file), then waits; returns the time taken in ms. */
  double stop(long timeoutMs) throws InterruptedException {
    long t0 = System.nanoTime();
    process.destroy();
    if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
      return -1;
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  /** SIGKILL, as a crash would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  int exitValue() {
    return process.exitValue();
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      stop(120_000);
    }
  }
}
