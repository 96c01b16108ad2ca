package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The log file or a journal segment deleted or cut short under a running server, with no write
 * after it: the server notices on its own, rewrites the log file from memory, and a SIGKILL after
 * that loses no acknowledged run.
 */
class FilesChangedUnderServerIT {

  private static final int RUNS = 20;
  /** Keeps the runs in the journal only, so losing a segment would lose them. */
  private static final String[] NO_FOLD = {"--fold-interval-ms", "600000"};
  private static final String[] QUICK_FOLD = {"--fold-interval-ms", "100"};

  interface Damage {
    void apply(Path root) throws IOException;
  }

  @Test
  void logFileDeleted_isRewrittenAndSurvivesASigkill() throws Exception {
    assertSurvives(QUICK_FOLD, true, root -> Files.delete(logFile(root)));
  }

  @Test
  void logFileTruncated_isRewrittenAndSurvivesASigkill() throws Exception {
    assertSurvives(QUICK_FOLD, true, root -> cut(logFile(root), Files.size(logFile(root)) / 2));
  }

  @Test
  void journalSegmentDeleted_isFoldedAndSurvivesASigkill() throws Exception {
    assertSurvives(NO_FOLD, false, root -> {
      for (Path segment : JournalFiles.segments(logFile(root))) {
        Files.delete(segment);
      }
    });
  }

  @Test
  void journalSegmentTruncated_isFoldedAndSurvivesASigkill() throws Exception {
    assertSurvives(NO_FOLD, false, root -> cut(JournalFiles.segments(logFile(root)).get(0), 0));
  }

  private static void assertSurvives(String[] options, boolean folded, Damage damage) throws Exception {
    Path root = Files.createTempDirectory("execlog-changed-");
    try (ServerProcess server = ServerProcess.start(root, options); RemoteLog log = new RemoteLog(server.port())) {
      for (int i = 0; i < RUNS; i++) {
        log.stub().recordExecution(record(run("t_changed_" + (i % 4))));
      }
      if (folded) {
        awaitRunsInFile(root, RUNS);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (JournalFiles.entries(logFile(root)) > 0 && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        assertEquals(0, JournalFiles.entries(logFile(root)), "the runs are folded into the file, the journal holds no entry");
      } else {
        assertEquals(0, runsInFile(root), "the runs are in the journal only");
        assertTrue(!JournalFiles.segments(logFile(root)).isEmpty(), "a journal segment holds them");
      }
      damage.apply(root);
      awaitRunsInFile(root, RUNS); // the server's own check; not asserted here: the restart is the proof
      server.kill();
    }
    try (ServerProcess restarted = ServerProcess.start(root)) {
      assertEquals(RUNS, RemoteLog.runIds(restarted.port()).size(), "acknowledged runs after the SIGKILL and restart");
    }
  }

  private static Path logFile(Path root) {
    return root.resolve(ServerConfig.DEFAULT_LOG);
  }

  /** Journal lines besides each segment's format line. */
  private static void cut(Path file, long length) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(length);
    }
  }

  /** Waits up to 10 s for the log file to hold {@code expected} runs. */
  private static void awaitRunsInFile(Path root, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (runsInFile(root) != expected && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  /** Runs in the log file now, or -1 while it is missing or not valid JSON. */
  private static int runsInFile(Path root) {
    try {
      return new ObjectMapper().readTree(logFile(root).toFile()).get("executions").size();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
