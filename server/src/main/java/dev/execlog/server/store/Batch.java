package dev.execlog.server.store;

import dev.execlog.server.json.LogSnapshot;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.LogMetadata;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The changes of one group commit. Each change is applied to the in-memory index at once (so later
 * operations in the batch see it), its journal entry is buffered, and an undo step is kept in case
 * the journal cannot be forced to disk.
 */
final class Batch {

  private final StoreState state;
  private final JournalEntries entries;
  private final Function<List<Execution>, ExecutionIndex> indexBuilder;
  private final ByteArrayOutputStream journalBytes = new ByteArrayOutputStream();
  private final List<Runnable> undo = new ArrayList<>();
  private final List<LogChange> changes = new ArrayList<>();
  private boolean rotationRequested;

  Batch(StoreState state, JournalEntries entries, Function<List<Execution>, ExecutionIndex> indexBuilder) {
    this.state = state;
    this.entries = entries;
    this.indexBuilder = indexBuilder;
  }

  ExecutionIndex index() {
    return state.index;
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
    ExecutionIndex.Stored previous = index.put(run);
    undo.add(previous == null ? () -> index.remove(run.runId()) : () -> index.restore(previous));
    changes.add(new LogChange(previous == null ? LogChange.Kind.RECORDED : LogChange.Kind.UPDATED, run, 0));
    journalBytes.writeBytes(journalLine);
  }

  void delete(String runId) {
    ExecutionIndex index = state.index;
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
    return new LogSnapshot(state.index.runsInFileOrder(), state.index.allSummaries(), state.metadata,
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
    return undo.size();
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
    for (int i = undo.size() - 1; i >= mark; i--) {
      undo.remove(i).run();
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
    return !undo.isEmpty();
  }

  byte[] journalBytes() {
    return journalBytes.toByteArray();
  }

  private void journal(String json) {
    journalBytes.writeBytes(Journal.encodeLine(json));
  }
}
