package dev.execlog.cli;

import dev.execlog.v1.GetLogInfoRequest;
import dev.execlog.server.LogServerExtension;
import dev.execlog.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real execlog server per test on a loopback TCP port and a fresh project directory, and a way
 * to run CLI command lines against it, capturing stdout, stderr and the exit code. Everything is
 * shut down and deleted after the test.
 */
final class CliServerExtension implements BeforeEachCallback, AfterEachCallback {

  private final LogServerExtension server;

  CliServerExtension() {
    this(0);
  }

  /** @param watchQueueCapacity changes a watcher may have pending before it is dropped; 0 for the default */
  CliServerExtension(int watchQueueCapacity) {
    this(watchQueueCapacity, UnaryOperator.identity());
  }

  /**
   * @param watchQueueCapacity changes a watcher may have pending before it is dropped; 0 for the default
   * @param configure changes the server's configuration, such as its limits
   */
  CliServerExtension(int watchQueueCapacity, UnaryOperator<ServerConfig> configure) {
    this.server = LogServerExtension.overLoopback().configured(configure).withWatchQueueCapacity(watchQueueCapacity);
  }

  /** What one command line did. */
  record Result(int exitCode, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    server.beforeEach(context);
  }

  /** Restarts the server on a log file with the given content, to test logs the API cannot make. */
  void restartWithLog(String json) throws Exception {
    server.restartWithLog(json);
  }

  /** Stops the server as an operator would, before the test ends: its watchers are told it is shutting down. */
  void stopServer() throws InterruptedException {
    server.stop();
  }

  String address() {
    return server.address();
  }

  Path root() {
    return server.root();
  }

  /** How many runs the server's log holds now. */
  long executionCount() {
    return server.stub().getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount();
  }

  /** Runs {@code execlog <command> --server <this server> <args...>}. */
  Result run(String command, String... args) {
    return runWithStdin(new ByteArrayInputStream(new byte[0]), command, args);
  }

  Result runWithStdin(String stdin, String command, String... args) {
    return runWithStdin(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), command, args);
  }

  private Result runWithStdin(InputStream stdin, String command, String... args) {
    List<String> line = new ArrayList<>(List.of(command, "--server", address()));
    line.addAll(List.of(args));
    return runRaw(stdin, line.toArray(String[]::new));
  }

  /** Runs a command line exactly as given. */
  static Result runRaw(String... args) {
    return runRaw(new ByteArrayInputStream(new byte[0]), args);
  }

  private static Result runRaw(InputStream stdin, String... args) {
    return runWithEnv(stdin, testEnvironment(Map.of()), args);
  }

  /**
   * Runs a command line exactly as given, with {@code env} as its whole environment (on top of a
   * HOME and XDG_CONFIG_HOME of no config file, so the user's own config never leaks in).
   */
  static Result runWithEnv(Map<String, String> env, String... args) {
    return runWithEnv(new ByteArrayInputStream(new byte[0]), testEnvironment(env), args);
  }

  private static Map<String, String> testEnvironment(Map<String, String> env) {
    Map<String, String> all = new HashMap<>();
    all.put("HOME", "/nonexistent-execlog-home");
    all.put("XDG_CONFIG_HOME", "/nonexistent-execlog-config");
    all.putAll(env);
    return all;
  }

  private static Result runWithEnv(InputStream stdin, Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ExeclogCli.run(args, stdin, new PrintWriter(out, true), new PrintWriter(err, true), env);
    return new Result(code, out.toString(), err.toString());
  }

  /** A command line running in the background, such as a watch. */
  static final class Running {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    /** What it printed on stderr so far (StringWriter is synchronized). */
    String errSoFar() {
      return err.toString();
    }

    /** Waits until stderr contains {@code text}. */
    void awaitErr(String text, Duration timeout) throws InterruptedException {
      long end = System.nanoTime() + timeout.toNanos();
      while (!errSoFar().contains(text)) {
        if (exit.isDone() || System.nanoTime() > end) {
          throw new AssertionError("stderr never said '" + text + "': " + errSoFar() + out);
        }
        Thread.sleep(20);
      }
    }

    boolean finished() {
      return exit.isDone();
    }

    Result await(Duration timeout) throws Exception {
      int code = exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Result(code, out.toString(), err.toString());
    }
  }

  /** Starts {@code execlog <command> --server <this server> <args...>} on its own (daemon) thread. */
  Running start(String command, String... args) {
    return start(null, command, args);
  }

  /** Like {@link #start(String, String...)}, printing stdout through {@code stdout} when not null. */
  Running start(Writer stdout, String command, String... args) {
    return start(Map.of(), stdout, command, args);
  }

  /** Like {@link #start(Writer, String, String...)}, with {@code env} added to the test environment. */
  Running start(Map<String, String> env, Writer stdout, String command, String... args) {
    List<String> line = new ArrayList<>(List.of(command, "--server", address()));
    line.addAll(List.of(args));
    Running running = new Running();
    Writer target = stdout != null ? stdout : running.out;
    Thread t = new Thread(() -> running.exit.complete(ExeclogCli.run(line.toArray(String[]::new),
        new ByteArrayInputStream(new byte[0]), new PrintWriter(target, true), new PrintWriter(running.err, true),
        testEnvironment(env))),
        "execlog-" + command);
    t.setDaemon(true);
    t.start();
    return running;
  }

  /** Records a run and returns its id. */
  String record(String taskId, String taskType, String... more) {
    List<String> args = new ArrayList<>(List.of("--task", taskId, "--type", taskType));
    args.addAll(List.of(more));
    Result r = run("record", args.toArray(String[]::new));
    if (r.exitCode() != 0) {
      throw new AssertionError("record failed: " + r.err());
    }
    return r.out().strip();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    server.afterEach(context);
  }
}
