package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.cli.CliServerExtension.Result;
import dev.execlog.client.ServerProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --server host1:port,host2:port} against real server processes killed with SIGKILL: the
 * command line keeps working on the survivor, and a record repeated with its run id across a
 * restart is stored once.
 */
class ServerListTest {

  @TempDir
  Path dir;

  private static Result run(String server, String... args) {
    List<String> line = new ArrayList<>(List.of(args));
    line.addAll(List.of("--server", server));
    return CliServerExtension.runRaw(line.toArray(String[]::new));
  }

  private static long count(String server) {
    Result r = run(server, "info", "--json");
    assertEquals(0, r.exitCode(), r.err());
    return Json.one(r.out()).get("execution_count").asLong();
  }

  @Test
  void twoServers_oneKilled_commandsGoOnAgainstTheSurvivor() throws Exception {
    try (ServerProcess a = ServerProcess.start(dir.resolve("a")); ServerProcess b = ServerProcess.start(dir.resolve("b"))) {
      String both = a.address() + "," + b.address();
      long before = count(b.address());
      a.kill();

      for (int i = 0; i < 4; i++) {
        Result r = run(both, "record", "--task", "t_cli", "--type", "test");
        assertEquals(0, r.exitCode(), r.err());
      }
      Result history = run(both, "history", "t_cli", "--json");

      assertEquals(0, history.exitCode(), history.err());
      assertEquals(4, Json.lines(history.out()).size());
      assertEquals(before + 4, count(b.address()));
    }
  }

  @Test
  void serverRestarted_recordsRepeatedWithTheirRunIdAreStoredOnce() throws Exception {
    try (ServerProcess s = ServerProcess.start(dir.resolve("r"))) {
      List<String> ids = new ArrayList<>();
      int repeated = 0;
      for (int i = 0; i < 6; i++) {
        if (i == 3) {
          s.kill();
          Thread t = new Thread(() -> {
            try {
              s.restart();
            } catch (Exception e) {
              throw new RuntimeException(e);
            }
          });
          t.start();
        }
        String id = UUID.randomUUID().toString();
        ids.add(id);
        Result r;
        int tries = 0;
        do {
          r = run(s.address(), "record", "--task", "t_restart", "--type", "test", "--run-id", id);
          tries++;
        } while (r.exitCode() == ExitCode.UNAVAILABLE.code() && tries < 20);
        repeated += tries - 1;
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(id, r.out().strip());
      }
      Result history = run(s.address(), "history", "t_restart", "--limit", "100", "--json");

      assertEquals(0, history.exitCode(), history.err());
      List<String> stored = Json.lines(history.out()).stream().map(n -> n.get("task_run_id").asText()).toList();
      assertEquals(new HashSet<>(ids), new HashSet<>(stored), "repeated " + repeated + " times");
      assertEquals(ids.size(), stored.size(), "each run once");
    }
  }

  @Test
  void malformedEntryOfAList_isAUsageErrorNamingIt() {
    Result r = CliServerExtension.runWithEnv(Map.of("EXECLOG_SERVER", "127.0.0.1:1,localhost"), "info");

    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().startsWith("execlog: bad server address '127.0.0.1:1,localhost' (env EXECLOG_SERVER):"
        + " 'localhost': the port is missing"), r.err());
  }
}
