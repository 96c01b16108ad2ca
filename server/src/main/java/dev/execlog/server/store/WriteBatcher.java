package dev.execlog.server.store;

import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The single writer. Requests queue up while a commit is in flight and the next commit takes all
 * of them at once (group commit): many runs share one {@code fdatasync}, so throughput grows with
 * the number of concurrent clients while every answer still waits for its data to be on disk.
 */
final class WriteBatcher implements AutoCloseable {

  /** A change to the log, applied by the writer thread. It validates before it changes anything. */
  interface Op<T> {
    T apply(Batch batch);

    /** An exclusive op commits in a batch of its own (folds, whole-log replacement). */
    default boolean exclusive() {
      return false;
    }

    /**
     * Work an exclusive op does before the lock is taken, such as rebuilding an index: readers go
     * on meanwhile, and since this thread is the only writer, {@code current} cannot change under it.
     */
    default void prepare(ExecutionIndex current) {}
  }

  private static final Logger LOG = Logger.getLogger(WriteBatcher.class.getName());
  private static final int MAX_BATCH = 4096;

  private record Task<T>(Op<T> op, CompletableFuture<T> result) {}

  private final StoreState state;
  private final Journal journal;
  private final JournalEntries entries;
  private final Function<List<Execution>, ExecutionIndex> indexBuilder;
  private final Runnable onDurableChange;
  private final Consumer<List<LogChange>> changeListener;
  private final Runnable onJournalDamaged;
  private long changeSequence;
  private final LinkedBlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closing;
  private volatile ExecLogException broken;
  /** Told once the journal cannot take writes any more, so health turns NOT_SERVING. */
  private final Consumer<ExecLogException> onBroken;
  /** Requests taken from the queue that go first into the next batch, in order. */
  private final ArrayDeque<Task<?>> carried = new ArrayDeque<>();
  private final StoreMetrics metrics;

  WriteBatcher(StoreState state, Journal journal, JournalEntries entries,
      Function<List<Execution>, ExecutionIndex> indexBuilder, Runnable onDurableChange,
      Consumer<List<LogChange>> changeListener, Runnable onJournalDamaged,
      Consumer<ExecLogException> onBroken, StoreMetrics metrics) {
    this.state = state;
    this.journal = journal;
    this.entries = entries;
    this.indexBuilder = indexBuilder;
    this.onDurableChange = onDurableChange;
    this.changeListener = changeListener;
    this.onJournalDamaged = onJournalDamaged;
    this.onBroken = onBroken;
    this.metrics = metrics;
    this.thread = new Thread(this::loop, "execlog-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Runs the op in the next commit and waits until it is durable (or rejected). */
  <T> T submit(Op<T> op) {
    if (closing) {
      throw new ExecLogException(ErrorReason.SHUTTING_DOWN, Map.of(),
          "the server is shutting down; retry against the restarted server", null);
    }
    ExecLogException failure = broken;
    if (failure != null) {
      throw failure;
    }
    Task<T> task = new Task<>(op, new CompletableFuture<>());
    queue.add(task);
    try {
      return task.result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof ExecLogException ele) {
        throw ele;
      }
      throw new ExecLogException(ErrorReason.INTERNAL, Map.of(),
          "internal error while writing: " + e.getCause(), e.getCause());
    }
  }

  private void loop() {
    List<Task<?>> tasks = new ArrayList<>();
    while (true) {
      try {
        tasks.clear();
        if (!nextBatch(tasks)) {
          return;
        }
        commit(tasks);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | Error e) {
        LOG.log(Level.SEVERE, "writer failed", e);
        for (Task<?> t : tasks) {
          if (!carried.contains(t)) {
            t.result.completeExceptionally(e);
          }
        }
      }
    }
  }

  private boolean nextBatch(List<Task<?>> tasks) throws InterruptedException {
    Task<?> first = carried.pollFirst();
    while (first == null) {
      first = queue.poll(100, TimeUnit.MILLISECONDS);
      if (first == null && closing && queue.isEmpty()) {
        return false;
      }
    }
    tasks.add(first);
    if (first.op.exclusive()) {
      return true;
    }
    while (tasks.size() < MAX_BATCH) {
      Task<?> next = carried.isEmpty() ? queue.poll() : carried.pollFirst();
      if (next == null) {
        break;
      }
      if (next.op.exclusive()) {
        carried.addFirst(next);
        break;
      }
      tasks.add(next);
    }
    return true;
  }

  private void commit(List<Task<?>> tasks) {
    if (tasks.size() == 1 && tasks.get(0).op.exclusive()) {
      commitExclusive(tasks.get(0));
    } else {
      commitStaged(tasks);
    }
  }

  /**
   * Prepares the batch against the index as readers see it, forces its journal lines to disk with
   * no lock held, then applies it under the write lock (memory only) and answers. An operation that
   * reads what an earlier one of the batch changed ends the batch: it and those after it go first
   * into the next one.
   */
  private void commitStaged(List<Task<?>> tasks) {
    Batch batch = new Batch(state, entries, indexBuilder, true);
    Object[] results = new Object[tasks.size()];
    RuntimeException[] errors = new RuntimeException[tasks.size()];
    int taken = tasks.size();
    for (int i = 0; i < tasks.size(); i++) {
      int mark = batch.mark();
      int journalMark = batch.journalMark();
      int changeMark = batch.changeMark();
      try {
        results[i] = tasks.get(i).op.apply(batch);
      } catch (Batch.Conflict conflict) {
        batch.rollbackTo(mark, journalMark, changeMark);
        taken = i;
        break;
      } catch (RuntimeException e) {
        batch.rollbackTo(mark, journalMark, changeMark);
        errors[i] = e;
      }
    }
    for (int i = tasks.size() - 1; i >= taken; i--) {
      carried.addFirst(tasks.get(i));
    }
    List<Task<?>> batchTasks = tasks.subList(0, taken);
    List<LogChange> committed = List.of();
    boolean changed = false;
    ExecLogException noSegment = batch.changed() ? reopenIfDamaged() : null;
    if (noSegment != null) {
      Arrays.fill(errors, noSegment);
    } else if (batch.changed()) {
      long before = -1;
      try {
        before = journal.position();
        appendDurably(batch.journalBytes(), taken);
        changed = true;
      } catch (IOException e) {
        ExecLogException failure = writeFailure(e);
        cutOff(before, failure);
        Arrays.fill(errors, failure);
      }
    }
    if (changed) {
      // Durable now: readers may see it. Only memory work happens under the lock.
      state.lock.writeLock().lock();
      try {
        batch.applyStaged();
        state.lastModifiedMicros = Timestamps.nowMicros();
      } finally {
        state.lock.writeLock().unlock();
      }
      committed = numbered(batch.changes());
      onDurableChange.run();
      if (!committed.isEmpty()) {
        changeListener.accept(committed);
      }
    }
    for (int i = 0; i < batchTasks.size(); i++) {
      complete(batchTasks.get(i), results[i], errors[i]);
    }
  }

  /**
   * An exclusive operation (a fold's snapshot, replacing the log, a large cleanup) changes the index
   * directly under the write lock, held until its journal lines are durable.
   */
  private void commitExclusive(Task<?> task) {
    try {
      task.op.prepare(state.index);
    } catch (RuntimeException e) {
      task.result.completeExceptionally(e);
      return;
    }
    List<LogChange> committed = List.of();
    Object result = null;
    RuntimeException error = null;
    boolean changed = false;
    boolean rotate = false;
    state.lock.writeLock().lock();
    try {
      Batch batch = new Batch(state, entries, indexBuilder, false);
      try {
        result = task.op.apply(batch);
      } catch (RuntimeException e) {
        batch.rollbackAll();
        error = e;
      }
      ExecLogException noSegment = batch.changed() ? reopenIfDamaged() : null;
      if (noSegment != null) {
        batch.rollbackAll();
        error = noSegment;
      }
      if (batch.changed()) {
        long before = -1;
        try {
          before = journal.position();
          appendDurably(batch.journalBytes(), 1);
          state.lastModifiedMicros = Timestamps.nowMicros();
          changed = true;
          committed = numbered(batch.changes());
        } catch (IOException e) {
          batch.rollbackAll();
          ExecLogException failure = writeFailure(e);
          cutOff(before, failure);
          error = failure;
        }
      }
      rotate = batch.rotationRequested();
    } finally {
      state.lock.writeLock().unlock();
    }
    // A new segment is the writer's own business: readers need not wait for its syncs.
    if (rotate && broken == null) {
      try {
        journal.openNext();
      } catch (IOException e) {
        error = ExecLogException.storage("could not start a journal segment: " + describe(e), e);
      }
    }
    if (changed) {
      onDurableChange.run();
      if (!committed.isEmpty()) {
        changeListener.accept(committed);
      }
    }
    complete(task, result, error);
  }

  private static ExecLogException writeFailure(IOException e) {
    String message = "could not write the change to disk: " + describe(e) + "; nothing was recorded";
    return isDiskFull(e)
        ? new ExecLogException(ErrorReason.DISK_FULL, Map.of(), message, e)
        : ExecLogException.storage(message, e);
  }

  /** Appends a batch's journal lines and forces them to disk: one sync for {@code operations} writes. */
  private void appendDurably(byte[] journalBytes, int operations) throws IOException {
    journal.append(ByteBuffer.wrap(journalBytes));
    long syncStart = System.nanoTime();
    journal.force();
    metrics.committed(operations, System.nanoTime() - syncStart);
  }

  /**
   * Appends to a deleted (or cut) segment would reach no file a restart reads, so they go to a new
   * segment instead; the changes the damaged one held are then only in memory, and the guard is
   * woken to write them to the log file at once.
   */
  private ExecLogException reopenIfDamaged() {
    String damage = journal.currentDamage();
    if (damage == null) {
      return null;
    }
    LOG.warning(damage + " while the server ran; new changes go to a new segment");
    onJournalDamaged.run();
    try {
      journal.openNext();
      return null;
    } catch (IOException e) {
      return ExecLogException.storage(damage + " and a new one cannot be created (" + describe(e)
          + "); nothing was recorded", e);
    }
  }

  private List<LogChange> numbered(List<LogChange> changes) {
    List<LogChange> out = new ArrayList<>(changes.size());
    for (LogChange c : changes) {
      out.add(new LogChange(c.kind(), c.execution(), ++changeSequence));
    }
    return out;
  }

  // A failed append may leave a partial line; cut it so later entries follow a whole one.
  private void cutOff(long position, ExecLogException failure) {
    if (position < 0) {
      breakDown(failure);
      return;
    }
    try {
      journal.truncate(position);
    } catch (IOException again) {
      LOG.log(Level.SEVERE, "journal cannot be repaired; refusing further writes", again);
      breakDown(ExecLogException.storage("the journal could not be repaired after a failed write ("
          + describe(again) + "); restart the server once the disk is writable", again));
    }
  }

  private void breakDown(ExecLogException reason) {
    broken = reason;
    onBroken.accept(reason);
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Task<T> task, Object result, RuntimeException error) {
    if (error != null) {
      task.result.completeExceptionally(error);
    } else {
      task.result.complete((T) result);
    }
  }

  private static boolean isDiskFull(IOException e) {
    return e.getMessage() != null && e.getMessage().contains("No space left");
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    if (isDiskFull(e)) {
      return "the disk is full";
    }
    return e.getClass().getSimpleName() + (message != null ? ": " + message : "");
  }

  /** Stops taking requests, finishes those queued, and stops the thread. */
  @Override
  public void close() {
    closing = true;
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
