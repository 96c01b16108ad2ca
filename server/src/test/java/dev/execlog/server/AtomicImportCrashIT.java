package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.v1.CleanupExecutionsRequest;
import dev.execlog.v1.ImportMode;
import dev.execlog.v1.ImportOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An import is one operation for its caller, so a crash leaves all of it or none of it: real
 * SIGKILLs while a large import is being journaled, and journals cut at every kind of point inside
 * the import's entries (as a power cut leaves them).
 */
class AtomicImportCrashIT {

  /** Keeps the journal unfolded, so the kill and the cuts meet the import's entries themselves. */
  private static final String[] NO_FOLD = {"--fold-interval-ms", "600000"};
  private static final int BASELINE = 20;

  /** Every directory a test made: each holds logs of up to 30,000 runs, so they go when it ends. */
  private final List<Path> scratch = new ArrayList<>();

  @AfterEach
  void removeScratch() throws IOException {
    for (Path dir : scratch) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private Path newDir(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    scratch.add(dir);
    return dir;
  }

  @Test
  void sigkillWhileALargeImportIsJournaled_leavesAllOfItOrNone() throws Exception {
    for (ImportMode mode : List.of(ImportMode.IMPORT_MODE_MERGE, ImportMode.IMPORT_MODE_REPLACE)) {
      int size = 30_000;
      Path root = newDir("execlog-atomic-");
      Set<String> baseline;
      try (ServerProcess server = ServerProcess.start(root, NO_FOLD); RemoteLog log = new RemoteLog(server.port())) {
        recordBaseline(log);
        baseline = log.runIds();
        long before = JournalFiles.bytes(root.resolve(ServerConfig.DEFAULT_LOG));
        String text = HostileInputProperties.validLog(size, mode.getNumber());
        CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
          try {
            log.importLog(text, ImportOptions.newBuilder().setMode(mode).build());
          } catch (Exception expected) {
            // killed mid-call: never acknowledged
          }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (JournalFiles.bytes(root.resolve(ServerConfig.DEFAULT_LOG)) == before && !upload.isDone() && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        server.kill();
        upload.get(60, TimeUnit.SECONDS);
      }
      try (ServerProcess server = ServerProcess.start(root, NO_FOLD); RemoteLog log = new RemoteLog(server.port())) {
        Set<String> stored = log.runIds();
        int whole = mode == ImportMode.IMPORT_MODE_MERGE ? BASELINE + size : size;
        assertTrue(stored.equals(baseline) || stored.size() == whole,
            mode + ": the log holds " + stored.size() + " runs, neither the " + BASELINE + " before the import nor the "
                + whole + " after it");
      }
    }
  }

  @Test
  void importCutAnywhereBeforeItsEndLine_replaysAsIfItNeverStarted() throws Exception {
    Path root = newDir("execlog-atomic-");
    Set<String> baseline;
    try (ServerProcess server = ServerProcess.start(root, NO_FOLD); RemoteLog log = new RemoteLog(server.port())) {
      recordBaseline(log);
      baseline = log.runIds();
      log.importLog(HostileInputProperties.validLog(500, 7),
          ImportOptions.newBuilder().setMode(ImportMode.IMPORT_MODE_MERGE).build());
      server.kill();
    }
    Path segment = JournalFiles.lastSegment(root.resolve(ServerConfig.DEFAULT_LOG));
    byte[] journal = Files.readAllBytes(segment);
    int begin = indexOf(journal, "{\"op\":\"begin\"}");
    int end = indexOf(journal, "{\"op\":\"end\"}");
    assertTrue(begin > 0 && end > begin, "the import is journaled as one unit");
    int afterBegin = lineEnd(journal, begin) + 1;
    int endLineStart = lineStart(journal, end);
    int[] cuts = {afterBegin, afterBegin + 40, (afterBegin + endLineStart) / 2, lineStart(journal, (afterBegin + endLineStart) / 2),
        endLineStart, endLineStart + 12, journal.length - 1};
    for (int cut : cuts) {
      Path copy = copyWithSegmentCut(root, segment, cut);
      assertEquals(baseline, runIdsAfterTwoRestarts(copy), "journal cut at byte " + cut + " of " + journal.length);
    }
    Set<String> whole = runIdsAfterTwoRestarts(copyWithSegmentCut(root, segment, journal.length));
    assertEquals(BASELINE + 500, whole.size(), "the intact journal replays the whole import");
  }

  @Test
  void cleanupCutInsideItsJournalEntry_removesNothing() throws Exception {
    Path root = newDir("execlog-atomic-");
    Set<String> before;
    try (ServerProcess server = ServerProcess.start(root); RemoteLog log = new RemoteLog(server.port())) {
      log.importLog(HostileInputProperties.validLog(2_000, 11),
          ImportOptions.newBuilder().setMode(ImportMode.IMPORT_MODE_MERGE).build());
      before = log.runIds();
      server.stop(); // folded: the journal that follows holds the cleanup alone
    }
    try (ServerProcess server = ServerProcess.start(root, NO_FOLD); RemoteLog log = new RemoteLog(server.port())) {
      log.stub().cleanupExecutions(CleanupExecutionsRequest.newBuilder().setMaxAgeDays(1).setMaxRunsPerTask(1).build())
          .forEachRemaining(response -> { });
      assertTrue(log.count() < before.size() / 2, "the cleanup removed most runs");
      server.kill();
    }
    Path segment = JournalFiles.lastSegment(root.resolve(ServerConfig.DEFAULT_LOG));
    byte[] journal = Files.readAllBytes(segment);
    int entry = indexOf(journal, "\"delete_many\"");
    assertTrue(entry > 0, "the cleanup is journaled");
    for (int cut : new int[] {entry, (entry + journal.length) / 2, journal.length - 2}) {
      assertEquals(before, runIdsAfterTwoRestarts(copyWithSegmentCut(root, segment, cut)),
          "journal cut at byte " + cut + " of " + journal.length);
    }
  }

  private static void recordBaseline(RemoteLog log) {
    for (int i = 0; i < BASELINE; i++) {
      log.stub().recordExecution(record(run("t_before_" + (i % 4))));
    }
  }

  /** Starts the server on {@code root} twice: the second start proves the first left a loadable state. */
  private static Set<String> runIdsAfterTwoRestarts(Path root) throws Exception {
    Set<String> first;
    try (ServerProcess server = ServerProcess.start(root)) {
      first = RemoteLog.runIds(server.port());
      server.stop();
    }
    try (ServerProcess server = ServerProcess.start(root)) {
      assertEquals(first, RemoteLog.runIds(server.port()), "a second restart reads the same log");
    }
    return first;
  }

  private Path copyWithSegmentCut(Path root, Path segment, long length) throws IOException {
    Path copy = newDir("execlog-atomic-cut-");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.toList()) {
        Path target = copy.resolve(root.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().endsWith(".lock")) {
          Files.copy(p, target);
        }
      }
    }
    try (RandomAccessFile f = new RandomAccessFile(copy.resolve(root.relativize(segment).toString()).toFile(), "rw")) {
      f.setLength(length);
    }
    return copy;
  }

  private static int indexOf(byte[] data, String text) {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    outer:
    for (int i = 0; i + needle.length <= data.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static int lineStart(byte[] data, int at) {
    int i = at;
    while (i > 0 && data[i - 1] != '\n') {
      i--;
    }
    return i;
  }

  private static int lineEnd(byte[] data, int at) {
    int i = at;
    while (data[i] != '\n') {
      i++;
    }
    return i;
  }
}
