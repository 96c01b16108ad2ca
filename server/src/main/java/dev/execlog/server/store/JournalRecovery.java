package dev.execlog.server.store;

import dev.execlog.server.json.LogFileCodec;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.LogMetadata;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Brings a loaded log up to date at start: replays every journal segment over it, oldest first,
 * then opens a fresh segment for the new server. A torn tail (a write that was never acknowledged)
 * and an operation whose end line never reached the disk are dropped with a warning; damage before
 * intact entries, or a newer journal format, stops the start with nothing changed.
 */
final class JournalRecovery {

  private static final Logger LOG = Logger.getLogger(JournalRecovery.class.getName());

  private JournalRecovery() {}

  /** Returns whether any segment was replayed (the log file then needs a fold). */
  static boolean replay(Journal journal, LogFileCodec codec, StoreState state, UnaryOperator<String> pathKey) {
    JournalEntries entries = new JournalEntries(codec);
    JournalEntries.Target target = new JournalEntries.Target() {
      @Override
      public void put(Execution run) {
        state.index.put(run);
      }

      @Override
      public void delete(String runId) {
        state.index.remove(runId);
      }

      @Override
      public void clear(LogMetadata metadata) {
        state.index = new ExecutionIndex(pathKey);
        state.metadata = metadata;
      }
    };
    try {
      List<Path> segments = journal.segments();
      for (int i = 0; i < segments.size(); i++) {
        long torn = Journal.replay(segments.get(i), i == segments.size() - 1, json -> entries.apply(json, target));
        int dropped = entries.discardOpenUnit();
        if (dropped > 0) {
          LOG.warning("dropped an operation of " + dropped + " journal entries that a crash cut short in "
              + segments.get(i) + " (it was never acknowledged; the log is as before it)");
        }
        if (torn > 0) {
          LOG.warning("ignored a torn journal tail of " + torn + " bytes in " + segments.get(i)
              + " (a write that was never acknowledged)");
        }
      }
      journal.openNext();
      return !segments.isEmpty();
    } catch (Journal.JournalCorruptException e) {
      throw ExecLogException.precondition(ErrorReason.JOURNAL_CORRUPT, "the journal is damaged: " + e.getMessage()
          + "; nothing was changed: move the damaged segment away to start without it");
    } catch (IOException e) {
      throw ExecLogException.storage("cannot read the journal: " + e.getMessage(), e);
    }
  }
}
