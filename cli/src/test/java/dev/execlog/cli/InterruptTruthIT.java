package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ctrl-C tells the truth: the packaged CLI runs as its own process, gets a real SIGINT at a moment
 * the server's state pins down, and what it says and its exit code must match what the server did.
 * Failsafe runs it after package, when the jar exists.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class InterruptTruthIT {

  private static final int RUNS = 100_000;

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension();

  private static Path jar() {
    Path repo = Path.of(System.getProperty("execlog.repoDir", "..")).toAbsolutePath().normalize();
    return Path.of(System.getProperty("execlog.cliJar", repo.resolve("cli/target/execlog-cli-0.1.0-all.jar").toString()));
  }

  private Process start(String... args) throws IOException {
    Path jar = jar();
    assumeTrue(Files.isRegularFile(jar), "the CLI jar is built by 'mvn package': " + jar);
    List<String> line = new ArrayList<>(List.of("java", "-jar", jar.toString()));
    line.addAll(List.of(args));
    line.addAll(List.of("--server", cli.address()));
    return new ProcessBuilder(line).start();
  }

  private static void ctrlC(Process p) throws Exception {
    assertEquals(0, new ProcessBuilder("kill", "-INT", String.valueOf(p.pid())).start().waitFor());
  }

  private static CompletableFuture<String> drain(InputStream in) {
    return drain(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
  }

  private static CompletableFuture<String> drain(BufferedReader in) {
    return CompletableFuture.supplyAsync(() -> {
      StringBuilder text = new StringBuilder();
      try {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          text.append(line).append('\n');
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return text.toString();
    });
  }

  /** A log of {@code RUNS} runs of one task, all older than any cleanup age. */
  private static String oldLog() {
    StringBuilder file = new StringBuilder("{\"executions\": [");
    for (int i = 0; i < RUNS; i++) {
      file.append(i == 0 ? "" : ",").append("{\"task_id\": \"t_old\", \"task_type\": \"x\", \"task_run_id\": \"")
          .append(UUID.randomUUID()).append("\", \"timestamp\": \"2020-01-01T00:00:00+00:00\",")
          .append(" \"success\": true, \"execution_time\": 1}");
    }
    return file.append("]}").toString();
  }

  @Test
  void ctrlCAfterTheCleanupCommitted_waitsForTheAnswerAndPrintsEveryRemovedId() throws Exception {
    cli.restartWithLog(oldLog());
    Process p = start("cleanup", "--max-age-days", "1", "--max-runs-per-task", "0", "--no-progress");
    BufferedReader errLines = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    StringBuilder stderr = new StringBuilder();
    for (String line = errLines.readLine(); line != null; line = errLines.readLine()) {
      stderr.append(line).append('\n');
      if (line.startsWith("execlog: cleanup: committed:")) {
        break;
      }
    }
    assertTrue(stderr.toString().contains("execlog: cleanup: committed:"), "the server reported the commit: " + stderr);
    assertEquals(0, cli.executionCount(), "the cleanup committed: " + stderr);
    // Its 100,000 ids fill the stdout pipe, which is read only from now on: the command is surely
    // still running, between the commit and its end, when Ctrl-C comes.
    ctrlC(p);
    CompletableFuture<String> out = drain(p.getInputStream());
    drain(errLines).thenAccept(stderr::append).get(60, TimeUnit.SECONDS);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "the cleanup happened, so the command succeeded: " + stderr);
    try (Stream<String> ids = out.get(10, TimeUnit.SECONDS).lines()) {
      assertEquals(RUNS, ids.filter(l -> l.length() == 36).distinct().count(), "every removed id was printed");
    }
    assertTrue(!stderr.toString().contains("cancelled"), stderr.toString());
    assertTrue(stderr.toString().contains("interrupted after the server committed: the cleanup removed " + RUNS
        + " runs. Waiting for the rest of its answer"), stderr.toString());
    assertTrue(stderr.toString().contains("Removed " + RUNS + " runs."), stderr.toString());
  }

  @Test
  void ctrlCBeforeTheImportCommitted_cancelsItAndNothingChanges() throws Exception {
    cli.record("t_keep", "x");
    Process p = start("import", "-", "--merge", "--no-progress");
    CompletableFuture<String> err = drain(p.getErrorStream());
    drain(p.getInputStream());
    OutputStream stdin = p.getOutputStream();
    String log = oldLog();
    stdin.write(log.substring(0, log.length() / 2).getBytes(StandardCharsets.UTF_8));
    stdin.flush();
    // The server has the upload once its scratch file exists: the call is under way, not committed.
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!uploadStarted() && System.nanoTime() < end) {
      Thread.sleep(10);
    }
    assertTrue(uploadStarted(), "the import's upload reached the server");
    ctrlC(p);
    stdin.close();  // as the producer of a pipeline, hit by the same Ctrl-C, would
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String stderr = err.get(10, TimeUnit.SECONDS);
    assertEquals(130, p.exitValue(), stderr);
    assertTrue(stderr.contains("interrupted before the server reported a commit"), stderr);
    assertEquals(1, cli.executionCount(), "nothing was imported");
  }

  private boolean uploadStarted() throws IOException {
    try (Stream<Path> files = Files.walk(cli.root())) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith(".execlog-import-"));
    }
  }
}
