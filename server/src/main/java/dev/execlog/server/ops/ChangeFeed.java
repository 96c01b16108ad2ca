package dev.execlog.server.ops;

import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.store.LogChange;
import dev.execlog.server.store.ChangeHistory;
import dev.execlog.server.store.ExecutionStore;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Fans the store's committed changes out to watchers. The store calls {@link #publish} on its
 * writer thread, so publishing only filters and offers to each watcher's bounded queue: it never
 * waits for a watcher. A watcher whose queue is full is dropped (its queue cleared) and told the
 * last change it got, so it can resume from history. Delivery runs on one drain thread of its own,
 * sending only while the watcher's transport is ready, so one slow reader holds only its own queue.
 *
 * <p>The feed also keeps its most recent changes (as many as one watcher may have pending), so a
 * watcher that reconnects with the sequence it last got, and this feed's id, resumes with nothing
 * missed while those changes are still held.
 */
public final class ChangeFeed implements AutoCloseable {

  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  /** Changes one drain sends before yielding the thread to other watchers. */
  private static final int DRAIN_BATCH = 256;

  /** Which changes a watcher wants; null or empty fields match everything. */
  public record Filter(String taskId, String taskType, Boolean success) {
    boolean matches(Execution run) {
      return (taskId == null || taskId.isEmpty() || taskId.equals(run.taskId()))
          && (taskType == null || taskType.isEmpty() || taskType.equals(run.taskType()))
          && (success == null || success == run.success());
    }
  }

  /** The transport side of a watcher. Called on the drain thread, one call at a time per watcher. */
  public interface Sink {
    /** Whether the transport takes a message now without buffering it. */
    boolean ready();

    /**
     * @param sequence the change after which the stream starts
     * @param resumed whether it resumes where the watcher asked, with no change missed
     */
    void started(long sequence, boolean resumed);

    void change(LogChange change);

    /** The watcher fell behind; the sink ends the stream with {@code error}. */
    void lagged(long lastDeliveredSequence, ExecLogException error);

    /** The server is closing; the sink ends the stream with {@code error}. */
    void closed(ExecLogException error);
  }

  /** Where a watcher asks to resume: after {@code sequence} of the feed {@code feedId}. */
  public record Resume(String feedId, long sequence) {}

  /** A watcher's handle: signal when the transport becomes ready, cancel when the client leaves. */
  public interface Subscription {
    void signal();

    void cancel();
  }

  private final ExecutionStore store;
  /** The store's own history, numbered for every server (PostgreSQL); null: this feed keeps {@code recent}. */
  private final ChangeHistory history;
  private final int capacity;
  private final Object lock = new Object();
  private final List<Watcher> watchers = new CopyOnWriteArrayList<>();
  private final LongAdder laggedWatchers = new LongAdder();
  private final ThreadPoolExecutor drains;
  private final Consumer<List<LogChange>> listener = this::publish;
  private long lastSequence;
  /** The latest changes, oldest first, at most {@code capacity}; guarded by {@code lock}. */
  private final ArrayDeque<LogChange> recent = new ArrayDeque<>();
  /**
   * Names the numbering of changes a resume refers to: this run of the server (its sequences
   * restart with it), or the store's feed when the store numbers changes itself.
   */
  private final String feedId;

  public ChangeFeed(ExecutionStore store, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("watch queue capacity must be positive");
    }
    this.store = store;
    this.capacity = capacity;
    this.history = store.changeHistory().orElse(null);
    this.feedId = history != null ? history.feedId() : UUID.randomUUID().toString();
    this.lastSequence = history != null ? history.lastSequence() : 0;
    // One thread that dies when idle: sends never block, so one is enough, and none lingers.
    this.drains = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
      Thread t = new Thread(r, "execlog-watch");
      t.setDaemon(true);
      return t;
    });
    drains.allowCoreThreadTimeOut(true);
    store.addChangeListener(listener);
  }

  /**
   * Starts a watcher; with {@code resume} (null for none), after the change it names when this feed
   * still holds every change since, else now.
   */
  public Subscription subscribe(Filter filter, Sink sink, Resume resume) {
    if (history != null) {
      history.catchUp();
    }
    Watcher w;
    synchronized (lock) {
      List<LogChange> missed = resume == null ? null : missedSince(resume);
      if (missed != null) {
        w = new Watcher(filter, sink, resume.sequence(), true);
        w.offer(missed);
      } else {
        w = new Watcher(filter, sink, lastSequence, false);
      }
      watchers.add(w);
    }
    w.signal();
    return w;
  }

  /**
   * The changes after the resume point up to the last one handed on, when every one of them is
   * still kept; null when the watch cannot resume there. With the store's own history, a point
   * beyond this server's last change is valid too: another server of the store handed it on first.
   */
  private List<LogChange> missedSince(Resume resume) {
    if (!feedId.equals(resume.feedId()) || resume.sequence() < 0) {
      return null;
    }
    if (resume.sequence() >= lastSequence) {
      return resume.sequence() == lastSequence || history != null ? List.of() : null;
    }
    if (history != null) {
      return history.between(resume.sequence(), lastSequence, capacity);
    }
    if (recent.isEmpty() || recent.peekFirst().sequence() > resume.sequence() + 1) {
      return null;
    }
    return recent.stream().filter(c -> c.sequence() > resume.sequence()).toList();
  }

  /** This run of the server's feed, for resuming. */
  public String feedId() {
    return feedId;
  }

  /** How many watchers are open, for metrics, tests and diagnostics. */
  public int watcherCount() {
    return watchers.size();
  }

  /** How many watchers have been dropped for falling behind since the server started. */
  public long laggedCount() {
    return laggedWatchers.sum();
  }

  private void publish(List<LogChange> changes) {
    synchronized (lock) {
      for (Watcher w : watchers) {
        w.offer(changes);
      }
      if (!changes.isEmpty()) {
        lastSequence = changes.get(changes.size() - 1).sequence();
      }
      for (int i = 0; history == null && i < changes.size(); i++) {
        if (recent.size() == capacity) {
          recent.pollFirst();
        }
        recent.addLast(changes.get(i));
      }
    }
  }

  @Override
  public void close() {
    store.removeChangeListener(listener);
    for (Watcher w : watchers) {
      w.closing = true;
      w.signal();
    }
    drains.shutdown();
    try {
      drains.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Watcher implements Subscription {
    private final Filter filter;
    private final Sink sink;
    private final ArrayBlockingQueue<LogChange> queue = new ArrayBlockingQueue<>(capacity);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Object drainLock = new Object();
    private final long startSequence;
    private final boolean resumed;
    private volatile boolean lagged;
    private volatile boolean closing;
    private volatile boolean finished;
    private boolean startedSent;
    private long lastDelivered;

    Watcher(Filter filter, Sink sink, long startSequence, boolean resumed) {
      this.filter = filter;
      this.sink = sink;
      this.startSequence = startSequence;
      this.resumed = resumed;
      this.lastDelivered = startSequence;
    }

    /** On the writer thread: never waits. */
    void offer(List<LogChange> changes) {
      if (lagged || finished) {
        return;
      }
      boolean any = false;
      for (LogChange c : changes) {
        if (c.sequence() > startSequence && filter.matches(c.execution())) {
          if (!queue.offer(c)) {
            lagged = true;
            laggedWatchers.increment();
            queue.clear();
            break;
          }
          any = true;
        }
      }
      if (any || lagged) {
        signal();
      }
    }

    @Override
    public void signal() {
      if (!finished && scheduled.compareAndSet(false, true)) {
        try {
          drains.execute(this::drain);
        } catch (RejectedExecutionException e) {
          scheduled.set(false); // closing: the close pass already ended this watcher
        }
      }
    }

    @Override
    public void cancel() {
      finished = true;
      watchers.remove(this);
      queue.clear();
    }

    private void drain() {
      scheduled.set(false);
      synchronized (drainLock) {
        if (finished) {
          return;
        }
        try {
          if (!startedSent) {
            startedSent = true;
            sink.started(startSequence, resumed);
          }
          int sent = 0;
          while (!lagged && !closing && sent < DRAIN_BATCH && sink.ready()) {
            LogChange c = queue.poll();
            if (c == null) {
              break;
            }
            sink.change(c);
            lastDelivered = c.sequence();
            sent++;
          }
          if (lagged) {
            cancel();
            sink.lagged(lastDelivered, laggedError(lastDelivered));
          } else if (closing) {
            cancel();
            sink.closed(new ExecLogException(ErrorReason.SHUTTING_DOWN, Map.of(),
                "the server is shutting down; watch again when it is back", null));
          } else if (sent == DRAIN_BATCH) {
            signal(); // more may be waiting: let other watchers go first
          }
        } catch (RuntimeException e) {
          cancel(); // the transport is gone (the client cancelled meanwhile)
        }
      }
    }
  }

  static ExecLogException laggedError(long lastDelivered) {
    return new ExecLogException(ErrorReason.WATCH_LAGGED, Map.of("last_sequence", Long.toString(lastDelivered)),
        "the watch fell behind and changes after sequence " + lastDelivered
            + " were dropped; resume from ListExecutions and watch again", null);
  }
}
