package dev.execlog.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The write path when the disk fails, through the journal's file-channel seam: a failed force
 * rolls the change back and the journal is cut to its last whole line; a journal that cannot be
 * cut stops writes until a restart and makes the store not writable (health NOT_SERVING); a
 * segment of a newer format stops the start.
 */
class JournalFaultTest {

  private final FaultyChannels disk = new FaultyChannels();

  private LogStore open(Path root, FileChannels channels) {
    StoreConfig config = new StoreConfig(root.resolve("configs/execution_log.json"), Duration.ofHours(1),
        Timestamps.systemDefault(), "test-host", Duration.ofHours(1)).withChannels(channels);
    return LogStore.open(config, p -> p);
  }

  private static Execution run(String taskId) {
    return Execution.builder(UUID.randomUUID().toString(), taskId).taskType("x").success(true)
        .recordTimeMicros(Timestamps.nowMicros()).build();
  }

  private static boolean has(LogStore store, String runId) {
    return store.read(view -> view.get(runId) != null);
  }

  @Test
  void failedForce_rollsBackAndTheNextWriteSucceeds() throws Exception {
    Path root = Files.createTempDirectory("execlog-fault-");
    Execution kept = run("t_a");
    Execution refused = run("t_a");
    Execution after = run("t_a");
    try (LogStore store = open(root, disk)) {
      store.record(kept, true, true);
      disk.failingForces.set(1);

      ExecLogException e = assertThrows(ExecLogException.class, () -> store.record(refused, true, true));

      assertEquals(ErrorReason.STORAGE_FAILURE, e.reason());
      assertFalse(has(store, refused.runId()), "memory never holds what the disk refused");
      assertTrue(store.writable(), "the journal was cut back to a whole line: writes go on");
      store.record(after, true, true);
    }
    try (LogStore store = open(root, FileChannels.SYSTEM)) {
      assertTrue(has(store, kept.runId()) && has(store, after.runId()));
      assertFalse(has(store, refused.runId()), "the refused run did not come back from the journal");
    }
  }

  @Test
  void journalThatCannotBeCut_refusesWritesUntilRestartAndIsNotWritable() throws Exception {
    Path root = Files.createTempDirectory("execlog-fault-");
    Execution kept = run("t_b");
    try (LogStore store = open(root, disk)) {
      AtomicInteger healthChanges = new AtomicInteger();
      store.addWritableListener(healthChanges::incrementAndGet);
      store.record(kept, true, true);
      disk.failingForces.set(2); // the write's force, and the force after the cut
      disk.failingTruncations.set(1);

      assertThrows(ExecLogException.class, () -> store.record(run("t_b"), true, true));

      assertFalse(store.writable(), "health turns NOT_SERVING");
      assertTrue(healthChanges.get() > 0, "listeners (the health service) were told");
      ExecLogException refused = assertThrows(ExecLogException.class, () -> store.record(run("t_b"), true, true));
      assertEquals(ErrorReason.STORAGE_FAILURE, refused.reason());
      assertTrue(has(store, kept.runId()), "reads go on");
    }
    try (LogStore store = open(root, FileChannels.SYSTEM)) {
      assertTrue(store.writable(), "a restart on a working disk writes again");
      assertTrue(has(store, kept.runId()), "the acknowledged run survived");
      assertEquals(1L, (long) store.read(LogView::size));
    }
  }

  @Test
  void segmentOfANewerJournalFormat_stopsTheStartUntouched() throws Exception {
    Path root = Files.createTempDirectory("execlog-fault-");
    try (LogStore store = open(root, FileChannels.SYSTEM)) {
      store.record(run("t_c"), true, true);
    }
    Path segment = root.resolve("configs/execution_log.json.journal.000099");
    String header = "{\"op\":\"format\",\"version\":" + (Journal.FORMAT + 1) + "}";
    byte[] bytes = Journal.encodeLine(header);
    Files.write(segment, bytes);

    ExecLogException e = assertThrows(ExecLogException.class, () -> open(root, FileChannels.SYSTEM));

    assertEquals(ErrorReason.JOURNAL_CORRUPT, e.reason());
    assertTrue(e.getMessage().contains("journal format " + (Journal.FORMAT + 1)), e.getMessage());
    assertEquals(header + "\n", new String(Files.readAllBytes(segment), StandardCharsets.UTF_8).substring(9));
  }

  @Test
  void everySegmentStartsWithItsFormat() throws Exception {
    Path root = Files.createTempDirectory("execlog-fault-");
    try (LogStore store = open(root, FileChannels.SYSTEM)) {
      store.record(run("t_d"), true, true);
      Path segment;
      try (var files = Files.list(root.resolve("configs"))) {
        segment = files.filter(p -> p.getFileName().toString().contains(".journal.")).findFirst().orElseThrow();
      }
      String first = Files.readAllLines(segment).get(0);
      assertEquals(Journal.formatLine(), first.substring(9));
    }
  }
}
