package dev.execlog.server.store;

import dev.execlog.server.json.Interner;
import dev.execlog.server.json.LoadProblem;
import dev.execlog.server.json.LoadedLog;
import dev.execlog.server.json.LogFileCodec;
import dev.execlog.server.json.LogFormatException;
import dev.execlog.server.json.LogSnapshot;
import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.LogMetadata;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;
import java.util.stream.IntStream;

/**
 * The execution log: the JSON file, its journal, and the in-memory indexes that answer queries.
 *
 * <p>Writes are group-committed to the journal and forced to disk before they return; a background
 * {@link LogFolder} folds the journal into the JSON file (write to a temporary file, fsync, atomic
 * rename) within about {@link StoreConfig#foldInterval()}, and once more on close. A
 * {@link StoreGuard} keeps the files on disk as the server wrote them (locks, log file, journal)
 * when other programs delete or change them. See {@code server/DESIGN.md} and README's Reliability.
 */
public final class LogStore implements ExecutionStore {

  private static final Logger LOG = Logger.getLogger(LogStore.class.getName());

  private final StoreConfig config;
  private final LogFileCodec codec;
  private final UnaryOperator<String> pathKey;
  private final LogLocks locks;
  private final Journal journal;
  private final StoreState state;
  private final WriteBatcher batcher;
  private final LogFolder folder;
  private final StoreHealth health = new StoreHealth();
  private final StoreGuard guard;
  private final List<LoadProblem> loadProblems;
  private final JournalEntries entries;
  private final CopyOnWriteArrayList<Consumer<List<LogChange>>> changeListeners =
      new CopyOnWriteArrayList<>();

  private LogStore(StoreConfig config, LogPaths paths, LogFileCodec codec, UnaryOperator<String> pathKey,
      LogLocks locks, Journal journal, StoreState state, List<LoadProblem> loadProblems) {
    this.config = config;
    this.codec = codec;
    this.pathKey = pathKey;
    this.locks = locks;
    this.journal = journal;
    this.state = state;
    this.loadProblems = List.copyOf(loadProblems);
    this.entries = new JournalEntries(codec);
    this.guard = new StoreGuard(paths, locks, health, config.checkInterval());
    this.folder = new LogFolder(config, paths, codec, journal, guard::verifyLocks);
    this.batcher = new WriteBatcher(state, journal, entries, this::buildIndex, folder::markDirty, this::publish,
        guard::wake, health::refuseForGood, config.metrics());
    this.folder.start(batcher);
    this.guard.start(folder, batcher);
  }

  /**
   * Locks the log, loads it (creating it when absent), replays the journal left by a crash, and
   * writes the folded file. Refuses to start, touching nothing, when the file or journal is damaged.
   *
   * @param pathKey the normalization under which output paths are indexed
   */
  public static LogStore open(StoreConfig config, UnaryOperator<String> pathKey) {
    LogPaths paths = LogPaths.of(config.logFile());
    try {
      Files.createDirectories(paths.configured().getParent());
      Files.createDirectories(paths.directory());
    } catch (IOException e) {
      throw ExecLogException.storage("cannot create the directory of " + paths.file() + ": " + e.getMessage(), e);
    }
    LogLocks locks = LogLocks.acquire(paths);
    try {
      return load(config, pathKey, paths, locks);
    } catch (RuntimeException e) {
      locks.close();
      throw e;
    }
  }

  private static LogStore load(StoreConfig config, UnaryOperator<String> pathKey, LogPaths paths, LogLocks locks) {
    Path logFile = paths.file();
    Interner interner = new Interner();
    LogFileCodec codec = new LogFileCodec(config.timestamps(), interner);
    LoadedLog loaded;
    ExecutionIndex index = new ExecutionIndex(pathKey);
    FileIdentity found;
    try {
      found = FileIdentity.of(logFile); // before reading it: a change while it is read is then noticed
    } catch (IOException e) {
      throw ExecLogException.storage("cannot read " + logFile + ": " + e.getMessage(), e);
    }
    boolean existed = found != null;
    if (existed) {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(logFile), 1 << 16)) {
        loaded = PipelinedLoad.into(codec, in, index);
      } catch (LogFormatException e) {
        throw ExecLogException.precondition(ErrorReason.LOG_CORRUPT, "the log file " + logFile
            + " is not a valid execution log (" + e.getMessage() + "); it was left untouched: repair it or"
            + " move it away, then start again");
      } catch (IOException e) {
        throw ExecLogException.storage("cannot read " + logFile + ": " + e.getMessage(), e);
      }
    } else {
      loaded = new LoadedLog(new LogMetadata(codec.timestamps().format(Timestamps.nowMicros()),
          LogMetadata.FORMAT_VERSION, Map.of(), Map.of()), List.of(), List.of());
    }
    for (LoadProblem p : loaded.problems()) {
      LOG.warning("log file: " + p.field() + ": " + p.message());
    }
    StoreState state = new StoreState(index, loaded.metadata(), Timestamps.nowMicros());
    Journal journal = new Journal(logFile, config.channels());
    boolean replayed = JournalRecovery.replay(journal, codec, state, pathKey);
    LogStore store = new LogStore(config, paths, codec, pathKey, locks, journal, state, loaded.problems());
    if (replayed || !existed) {
      store.folder.foldNow(store.snapshot(), journal.currentSegment());
    } else {
      store.folder.adopt(found);
    }
    return store;
  }

  /** Listeners are called on the writer thread. */
  @Override
  public void addChangeListener(Consumer<List<LogChange>> listener) {
    changeListeners.add(listener);
  }

  @Override
  public void removeChangeListener(Consumer<List<LogChange>> listener) {
    changeListeners.remove(listener);
  }

  private void publish(List<LogChange> changes) {
    for (var listener : changeListeners) {
      try {
        listener.accept(changes);
      } catch (RuntimeException e) {
        LOG.warning("a change listener failed: " + e);
      }
    }
  }

  private ExecutionIndex buildIndex(List<Execution> runs) {
    ExecutionIndex index = new ExecutionIndex(pathKey);
    for (Execution run : runs) {
      index.load(run);
    }
    index.finishLoad();
    return index;
  }

  // ------------------------------------------------------------------ reads

  @Override
  public <T> T read(Function<LogView, T> query) {
    state.lock.readLock().lock();
    try {
      return query.apply(new IndexView(state.index, pathKey));
    } finally {
      state.lock.readLock().unlock();
    }
  }

  /** The pass runs on references to immutable runs, taken in one short step under the read lock. */
  @Override
  public <T> T scan(Pass<T> pass) throws IOException {
    return pass.over(snapshot());
  }

  /** A consistent snapshot of the whole log, cheap to take: the runs are immutable. */
  LogSnapshot snapshot() {
    state.lock.readLock().lock();
    try {
      return LogSnapshot.of(state.index.runsInFileOrder(), state.index.allSummaries(), state.metadata,
          state.lastModifiedMicros);
    } finally {
      state.lock.readLock().unlock();
    }
  }

  public List<LoadProblem> loadProblems() {
    return loadProblems;
  }

  @Override
  public LogInfo info() {
    state.lock.readLock().lock();
    LogInfo info;
    try {
      info = new LogInfo("json", config.logFile().toAbsolutePath().toString(), state.index.size(), state.index.taskCount(), 0,
          state.lastModifiedMicros, state.metadata.createdText(), state.metadata.version());
    } finally {
      state.lock.readLock().unlock();
    }
    long size;
    try {
      size = Files.size(config.logFile());
    } catch (IOException e) {
      size = 0;
    }
    return info.withSize(size);
  }

  /** Seconds the oldest change not yet in the log file has waited (the journal holds it meanwhile). */
  public double foldLagSeconds() {
    return folder.lagSeconds();
  }

  /** Bytes in the journal's segments: what a restart would replay. */
  public long journalBytes() {
    return journal.sizeBytes();
  }

  @Override
  public LogFileCodec codec() {
    return codec;
  }

  // False while the server cannot keep the log's files safe: another process took its lock, or a
  // deleted file cannot be written again.
  @Override
  public boolean writable() {
    return health.writable();
  }

  @Override
  public void addWritableListener(Runnable listener) {
    health.addListener(listener);
  }

  // ------------------------------------------------------------------ writes

  private <T> T write(WriteBatcher.Op<T> op) {
    health.requireWritable();
    return batcher.submit(op);
  }

  @Override
  public RecordOutcome record(Execution run, boolean timeGiven, boolean hostGiven) {
    // Encoded on the caller's thread, so the single writer only copies the bytes.
    byte[] line = Journal.encodeLine(entries.put(run));
    return write(batch -> {
      ExecutionIndex.Stored existing = batch.get(run.runId());
      if (existing != null) {
        if (existing.run().sameContentAs(run, timeGiven, hostGiven)) {
          return new RecordOutcome(existing.run(), true);
        }
        throw ExecLogException.runIdTaken("execution.run_id", run.runId(), "a different run with id " + run.runId()
            + " is already recorded; send a new UUID for a new run");
      }
      batch.put(run, line);
      return new RecordOutcome(run, false);
    });
  }

  @Override
  public Execution update(String runId, String runIdField, UnaryOperator<Execution> change) {
    return write(batch -> {
      ExecutionIndex.Stored existing = batch.get(runId);
      if (existing == null) {
        throw ExecLogException.runNotFound(runIdField, runId);
      }
      Execution updated = change.apply(existing.run());
      if (!updated.equals(existing.run())) {
        batch.put(updated);
      }
      return updated;
    });
  }

  @Override
  public Execution updateLatest(String taskId, UnaryOperator<Execution> change) {
    return write(batch -> {
      Execution latest = batch.latest(taskId, false);
      if (latest == null) {
        throw ExecLogException.taskHasNoRun("task_id", taskId, "task " + taskId + " has no recorded run to add files to;"
            + " record a run first");
      }
      Execution updated = change.apply(latest);
      // Tracking files a run already lists changes nothing, so it writes nothing and tells no watcher.
      if (!updated.equals(latest)) {
        batch.put(updated);
      }
      return updated;
    });
  }

  @Override
  public Execution delete(String runId) {
    return write(batch -> {
      ExecutionIndex.Stored existing = batch.get(runId);
      if (existing == null) {
        throw ExecLogException.runNotFound("run_id", runId);
      }
      batch.delete(runId);
      return existing.run();
    });
  }

  /** Above this many removals, a fresh index is built without them instead of removing one by one. */
  private static final int REBUILD_THRESHOLD = 10_000;

  /** Removes the runs that still exist among the given ids; returns the ids removed. */
  @Override
  public List<String> deleteAll(Collection<String> runIds) {
    boolean large = runIds.size() > REBUILD_THRESHOLD;
    return write(new WriteBatcher.Op<List<String>>() {
      private ExecutionIndex rebuilt;

      @Override
      public void prepare(ExecutionIndex current) {
        // Each listed id removes one copy, the first in file order, as one removal at a time would.
        Map<String, Integer> remove = new HashMap<>();
        runIds.forEach(id -> remove.merge(id, 1, Integer::sum));
        List<Execution> kept = new ArrayList<>(Math.max(0, current.size() - runIds.size()));
        for (ExecutionIndex.Stored s : current.storedInFileOrder()) {
          Integer left = remove.get(s.run().runId());
          if (left == null) {
            kept.add(s.run());
          } else if (left == 1) {
            remove.remove(s.run().runId());
          } else {
            remove.put(s.run().runId(), left - 1);
          }
        }
        rebuilt = buildIndex(kept);
      }

      @Override
      public List<String> apply(Batch batch) {
        List<String> removed = new ArrayList<>();
        Map<String, Integer> listed = new HashMap<>();
        for (String id : runIds) {
          if (listed.merge(id, 1, Integer::sum) <= batch.copies(id)) {
            removed.add(id);
          }
        }
        batch.deleteMany(removed, rebuilt);
        return removed;
      }

      @Override
      public boolean exclusive() {
        return large;
      }
    });
  }

  @Override
  public int merge(List<Execution> runs) {
    byte[][] lines = journalLines(runs);
    return write(batch -> {
      List<Integer> fresh = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        if (batch.get(runs.get(i).runId()) == null) {
          fresh.add(i);
        }
      }
      if (fresh.isEmpty()) {
        return 0;
      }
      // One unit: a crash while the journal is written leaves all of the import or none of it.
      batch.beginUnit();
      fresh.forEach(i -> batch.put(runs.get(i), lines[i]));
      batch.endUnit();
      return fresh.size();
    });
  }

  /** Encodes the runs' journal lines on every core, before the writer takes its lock. */
  private byte[][] journalLines(List<Execution> runs) {
    byte[][] lines = new byte[runs.size()][];
    IntStream.range(0, runs.size()).parallel()
        .forEach(i -> lines[i] = Journal.encodeLine(entries.put(runs.get(i))));
    return lines;
  }

  @Override
  public void replace(LogMetadata metadata, List<Execution> runs) {
    byte[][] lines = journalLines(runs);
    write(new WriteBatcher.Op<Void>() {
      @Override
      public Void apply(Batch batch) {
        batch.replaceAll(metadata, runs, lines);
        return null;
      }

      @Override
      public boolean exclusive() {
        return true;
      }
    });
  }

  /** Folds the journal into the log file now, so readers of the file see every change. */
  @Override
  public void flush() {
    folder.foldOnce(batcher);
  }

  @Override
  public void close() {
    guard.close();
    folder.stop();
    batcher.close();
    try {
      folder.foldNow(snapshot(), journal.currentSegment() + 1);
    } catch (RuntimeException e) {
      LOG.warning("final fold failed; the journal keeps every change for the next start: " + e.getMessage());
    }
    try {
      journal.close();
    } catch (IOException e) {
      LOG.warning("closing the journal: " + e.getMessage());
    }
    locks.close();
  }
}
