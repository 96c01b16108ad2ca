package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.execlog.cli.CliServerExtension.Result;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs examples/maintenance/maintain.sh with the packaged CLI jar against a real server, as an
 * operator would. Failsafe runs it after package, when the jar exists.
 */
class MaintenanceScriptIT {

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension();

  @TempDir
  Path work;

  private record Outcome(int exitCode, String output) {}

  private static Path repo() {
    return Path.of(System.getProperty("execlog.repoDir", "..")).toAbsolutePath().normalize();
  }

  private static Path jar() {
    return Path.of(System.getProperty("execlog.cliJar",
        repo().resolve("cli/target/execlog-cli-0.1.0-all.jar").toString()));
  }

  private Outcome maintain(String server) throws IOException, InterruptedException {
    Path jar = jar();
    assumeTrue(Files.isRegularFile(jar), "the CLI jar is built by 'mvn package': " + jar);
    ProcessBuilder pb = new ProcessBuilder("bash", repo().resolve("examples/maintenance/maintain.sh").toString())
        .directory(work.toFile()).redirectErrorStream(true);
    pb.environment().put("EXECLOG_SERVER", server);
    pb.environment().put("EXECLOG", "java -jar " + jar);
    pb.environment().put("BACKUP_DIR", work.resolve("backup").toString());
    pb.environment().put("MAX_RUNS_PER_TASK", "2");
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the script finished");
    return new Outcome(p.exitValue(), output);
  }

  @Test
  void maintain_healthyLog_cleansBacksUpAndReimports() throws Exception {
    for (int day = 1; day <= 4; day++) {
      cli.record("t_1I", "ingestion", "--time", "2026-0" + day + "-01T10:00:00Z");
    }
    cli.record("t_1P", "profiling");

    Outcome o = maintain(cli.address());

    assertEquals(0, o.exitCode(), o.output());
    assertTrue(o.output().contains("maintain: the log is valid"), o.output());
    assertTrue(o.output().contains("maintain: removing"), o.output());
    assertTrue(o.output().contains("maintain: done"), o.output());
    List<Path> backups;
    try (Stream<Path> files = Files.list(work.resolve("backup"))) {
      backups = files.sorted().toList();
    }
    assertEquals(2, backups.size(), backups.toString());
    assertTrue(backups.get(0).toString().endsWith(".csv") && backups.get(1).toString().endsWith(".json"));
    Result history = cli.run("history", "--json", "t_1I");
    assertTrue(Json.lines(history.out()).size() <= 2, "cleanup kept at most 2 runs per task");
  }

  @Test
  void maintain_serverDown_exitsUnavailable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }

    Outcome o = maintain("127.0.0.1:" + port);

    assertEquals(6, o.exitCode(), o.output());
    assertTrue(o.output().contains("unreachable; nothing was changed"), o.output());
  }
}
