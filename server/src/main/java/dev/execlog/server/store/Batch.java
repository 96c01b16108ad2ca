package dev.execlog.server.store;

import dev.execlog.server.json.LogSnapshot;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.LogMetadata;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The changes of one group commit, in one of two modes.
 *
 * <p><b>Staged</b> (records, updates, deletes, merges: every write a client makes): the writer
 * thread prepares the batch against the index as readers see it, without the lock and without
 * changing it (this thread is the only one that changes the index, so it can read it unlocked).
 * Each change is kept as a pending step and its journal line buffered. An operation that reads a
 * run or a task an earlier operation of the same batch changed would not see that change, so it
 * {@linkplain Conflict stops the batch} there and goes first into the next one, which sees it. Once
 * the journal is forced to disk, {@link #applyStaged()} applies the steps under the write lock: an
 * in-memory step, so readers never wait for the disk, and never see a change a crash could lose.
 *
 * <p><b>Direct</b> (exclusive operations: a fold's snapshot, replacing the whole log, a cleanup that
 * swaps in a rebuilt index): each change is applied to the index at once under the write lock, held
 * until the batch is durable, with an undo step kept in case the journal cannot be forced to disk.
 */
final class Batch {

  /**
   * Thrown by a staged read of a run or task an earlier operation of the batch changed: the batch
   * ends before the operation, which then runs first in the next batch.
   */
  static final class Conflict extends RuntimeException {
    static final Conflict INSTANCE = new Conflict();

    private Conflict() {
      super("read of a change pending in the same batch", null, false, false);
    }
  }

  private final StoreState state;
  private final JournalEntries entries;
  private final Function<List<Execution>, ExecutionIndex> indexBuilder;
  private final ByteArrayOutputStream journalBytes = new ByteArrayOutputStream();
  private final List<Runnable> undo = new ArrayList<>();
  private final List<LogChange> changes = new ArrayList<>();
  private boolean rotationRequested;
  private final boolean staged;
  /** Staged mode: the index changes, applied in order once the batch is durable. */
  private final List<Runnable> pending = new ArrayList<>();
  /** Staged mode: run ids and task ids the batch changed; a later read of one is a {@link Conflict}. */
  private final Set<String> changedRuns = new HashSet<>();
  private final Set<String> changedTasks = new HashSet<>();

  Batch(StoreState state, JournalEntries entries, Function<List<Execution>, ExecutionIndex> indexBuilder,
      boolean staged) {
    this.state = state;
    this.entries = entries;
    this.indexBuilder = indexBuilder;
    this.staged = staged;
  }

  /** The whole index, for direct (exclusive) operations only. */
  ExecutionIndex index() {
    if (staged) {
      throw new IllegalStateException("a staged operation reads through get, latest and copies");
    }
    return state.index;
  }

  /** The stored run with this id, as the batch so far leaves it. */
  ExecutionIndex.Stored get(String runId) {
    if (staged && changedRuns.contains(runId)) {
      throw Conflict.INSTANCE;
    }
    return state.index.get(runId);
  }

  /** How many runs with this id the log holds, as the batch so far leaves it. */
  int copies(String runId) {
    if (staged && changedRuns.contains(runId)) {
      throw Conflict.INSTANCE;
    }
    return state.index.copies(runId);
  }

  /** The task's newest run, as the batch so far leaves it. */
  Execution latest(String taskId, boolean successOnly) {
    if (staged && changedTasks.contains(taskId)) {
      throw Conflict.INSTANCE;
    }
    return state.index.latest(taskId, successOnly);
  }

  LogMetadata metadata() {
    return state.metadata;
  }

  void put(Execution run) {
    put(run, Journal.encodeLine(entries.put(run)));
  }

  /** Puts a run whose journal line was encoded beforehand, outside the lock. */
  void put(Execution run, byte[] journalLine) {
    ExecutionIndex index = state.index;
    if (staged) {
      ExecutionIndex.Stored previous = index.get(run.runId());
      changedRuns.add(run.runId());
      changedTasks.add(run.taskId());
      if (previous != null) {
        changedTasks.add(previous.run().taskId());
      }
      pending.add(() -> index.put(run));
      changes.add(new LogChange(previous == null ? LogChange.Kind.RECORDED : LogChange.Kind.UPDATED, run, 0));
      journalBytes.writeBytes(journalLine);
      return;
    }
    ExecutionIndex.Stored previous = index.put(run);
    undo.add(previous == null ? () -> index.remove(run.runId()) : () -> index.restore(previous));
    changes.add(new LogChange(previous == null ? LogChange.Kind.RECORDED : LogChange.Kind.UPDATED, run, 0));
    journalBytes.writeBytes(journalLine);
  }

  void delete(String runId) {
    ExecutionIndex index = state.index;
    if (staged) {
      ExecutionIndex.Stored previous = index.get(runId);
      if (previous != null) {
        changedRuns.add(runId);
        changedTasks.add(previous.run().taskId());
        pending.add(() -> index.remove(runId));
        changes.add(new LogChange(LogChange.Kind.REMOVED, previous.run(), 0));
        journal(entries.delete(runId));
      }
      return;
    }
    ExecutionIndex.Stored previous = index.remove(runId);
    if (previous != null) {
      undo.add(() -> index.restore(previous));
      changes.add(new LogChange(LogChange.Kind.REMOVED, previous.run(), 0));
      journal(entries.delete(runId));
    }
  }

  /** Removes many runs in one journal entry; {@code rebuilt} (or null) is the index without them. */
  void deleteMany(List<String> runIds, ExecutionIndex rebuilt) {
    if (runIds.isEmpty()) {
      return;
    }
    ExecutionIndex before = state.index;
    for (String id : runIds) {
      ExecutionIndex.Stored gone = before.get(id);
      if (gone != null) {
        changes.add(new LogChange(LogChange.Kind.REMOVED, gone.run(), 0));
      }
    }
    if (staged) {
      if (rebuilt != null) {
        throw new IllegalStateException("a rebuilt index is swapped in by an exclusive operation only");
      }
      for (String id : runIds) {
        ExecutionIndex.Stored gone = before.get(id);
        changedRuns.add(id);
        if (gone != null) {
          changedTasks.add(gone.run().taskId());
        }
        // Later copies of the id come forward as each is removed: their tasks change too.
        pending.add(() -> before.remove(id));
      }
      markLaterCopies(before, runIds);
      journal(entries.deleteMany(runIds));
      return;
    }
    if (rebuilt != null) {
      ExecutionIndex old = state.index;
      state.index = rebuilt;
      undo.add(() -> state.index = old);
    } else {
      ExecutionIndex index = state.index;
      for (String id : runIds) {
        ExecutionIndex.Stored previous = index.remove(id);
        if (previous != null) {
          undo.add(() -> index.restore(previous));
        }
      }
    }
    journal(entries.deleteMany(runIds));
  }

  /** Replaces the whole log (an import in replace mode); {@code lines} are the runs' journal lines. */
  void replaceAll(LogMetadata metadata, List<Execution> runs, byte[][] lines) {
    requireDirect();
    ExecutionIndex oldIndex = state.index;
    LogMetadata oldMetadata = state.metadata;
    for (Execution gone : oldIndex.runsInFileOrder()) {
      changes.add(new LogChange(LogChange.Kind.REMOVED, gone, 0));
    }
    for (Execution run : runs) {
      changes.add(new LogChange(LogChange.Kind.RECORDED, run, 0));
    }
    state.index = indexBuilder.apply(runs);
    state.metadata = metadata;
    undo.add(() -> {
      state.index = oldIndex;
      state.metadata = oldMetadata;
    });
    beginUnit();
    journal(entries.clear(metadata));
    for (byte[] line : lines) {
      journalBytes.writeBytes(line);
    }
    endUnit();
  }

  /** Starts a journal unit: the entries up to {@link #endUnit} replay whole or not at all. */
  void beginUnit() {
    journal(entries.beginUnit());
  }

  void endUnit() {
    journal(entries.endUnit());
  }

  /** A consistent view of the log as of this point of the batch. */
  LogSnapshot snapshot() {
    requireDirect();
    return LogSnapshot.of(state.index.runsInFileOrder(), state.index.allSummaries(), state.metadata,
        state.lastModifiedMicros);
  }

  /** Asks for new changes to go to a fresh journal segment once this batch is durable. */
  void requestRotation() {
    rotationRequested = true;
  }

  boolean rotationRequested() {
    return rotationRequested;
  }

  int mark() {
    return staged ? pending.size() : undo.size();
  }

  int journalMark() {
    return journalBytes.size();
  }

  int changeMark() {
    return changes.size();
  }

  /** The changes of the batch, in order; valid once the batch is durable. */
  List<LogChange> changes() {
    return changes;
  }

  /** Undoes the changes made after {@code mark}, newest first. */
  void rollbackTo(int mark, int journalMark, int changeMark) {
    changes.subList(changeMark, changes.size()).clear();
    rollbackTo(mark, journalMark);
  }

  /** Undoes the changes made after {@code mark}, newest first. */
  void rollbackTo(int mark, int journalMark) {
    if (staged) {
      // Nothing reached the index; the run and task ids stay marked, which at worst ends a batch early.
      pending.subList(mark, pending.size()).clear();
    } else {
      for (int i = undo.size() - 1; i >= mark; i--) {
        undo.remove(i).run();
      }
    }
    if (journalBytes.size() > journalMark) {
      byte[] kept = Arrays.copyOf(journalBytes.toByteArray(), journalMark);
      journalBytes.reset();
      journalBytes.writeBytes(kept);
    }
  }

  void rollbackAll() {
    rollbackTo(0, 0, 0);
  }

  boolean changed() {
    return !undo.isEmpty() || !pending.isEmpty();
  }

  boolean staged() {
    return staged;
  }

  /** Staged mode: applies the batch's changes to the index; the caller holds the write lock. */
  void applyStaged() {
    for (Runnable step : pending) {
      step.run();
    }
  }

  private void requireDirect() {
    if (staged) {
      throw new IllegalStateException("only an exclusive operation may do this");
    }
  }

  private void markLaterCopies(ExecutionIndex index, List<String> runIds) {
    for (String id : runIds) {
      if (index.copies(id) > 1) {
        // A later copy may belong to another task; any task then counts as changed.
        for (ExecutionIndex.Stored s : index.storedInFileOrder()) {
          if (s.run().runId().equals(id)) {
            changedTasks.add(s.run().taskId());
          }
        }
      }
    }
  }

  byte[] journalBytes() {
    return journalBytes.toByteArray();
  }

  private void journal(String json) {
    journalBytes.writeBytes(Journal.encodeLine(json));
  }
}
