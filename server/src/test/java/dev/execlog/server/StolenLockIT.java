package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.store.LogFileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Deleting {@code <log>.lock} under a running server must not let a second server (or the Python
 * library, which takes the same flock) in: both would write and one would overwrite the other's runs.
 */
class StolenLockIT {

  private static final int RUNS = 20;

  @Test
  void lockFileDeleted_secondServerIsRefusedAndTheFirstKeepsItsRuns() throws Exception {
    Path root = Files.createTempDirectory("execlog-stolen-");
    Path lockFile = root.resolve(ServerConfig.DEFAULT_LOG + ".lock");
    try (ServerProcess first = ServerProcess.start(root); RemoteLog log = new RemoteLog(first.port())) {
      for (int i = 0; i < RUNS; i++) {
        log.stub().recordExecution(record(run("t_first_" + (i % 4))));
      }
      Files.delete(lockFile);

      ServerProcess second = null;
      String refusal = null;
      try {
        second = ServerProcess.start(root);
      } catch (IllegalStateException refused) {
        refusal = refused.getMessage();
      }
      if (second != null) {
        int lost = bothWrite(first, log, second, root);
        fail("a second server started on the same log after " + lockFile + " was deleted; of " + (2 * RUNS)
            + " acknowledged runs, " + lost + " were lost");
      }
      assertTrue(refusal.contains("server exited with 1") && refusal.contains("in use") && refusal.contains(".lock"),
          "the second server names the lock it could not take: " + refusal);

      // The first server takes the lock file back, so the Python library's flock is refused again.
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!Files.exists(lockFile) && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(Files.exists(lockFile), "the server re-created " + lockFile);
      ExecLogException inUse = assertThrows(ExecLogException.class, () -> LogFileLock.acquire(lockFile).close(),
          "an outside flock on the re-created lock file is refused");
      assertEquals(ErrorReason.LOG_IN_USE, inUse.reason());

      assertEquals(RUNS, log.count(), "the first server still serves every run");
      log.stub().recordExecution(record(run("t_after")));
      first.kill();
    }
    try (ServerProcess again = ServerProcess.start(root)) {
      assertEquals(RUNS + 1, RemoteLog.runIds(again.port()).size(), "every acknowledged run survives a SIGKILL");
    }
  }

  /** What happens without exclusion: both servers record, both stop; returns how many runs were lost. */
  private static int bothWrite(ServerProcess first, RemoteLog firstLog, ServerProcess second, Path root) throws Exception {
    try (RemoteLog secondLog = new RemoteLog(second.port())) {
      for (int i = 0; i < RUNS; i++) {
        secondLog.stub().recordExecution(record(run("t_second_" + (i % 4))));
      }
    }
    second.stop();
    first.stop();
    try (ServerProcess again = ServerProcess.start(root)) {
      return 2 * RUNS - RemoteLog.runIds(again.port()).size();
    }
  }
}
