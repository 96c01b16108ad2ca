package dev.execlog.server.postgres;

import dev.execlog.server.json.Interner;
import dev.execlog.server.json.LogFileCodec;
import dev.execlog.server.json.LogFormatException;
import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.Execution;
import dev.execlog.server.store.ChangeHistory;
import dev.execlog.server.store.LogChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The change stream of a PostgreSQL store, the same on every server of the database: a background
 * thread numbers the {@code changes} rows of finished transactions (see schema version 2), hands
 * the newly numbered ones to the server's watchers in order, and removes changes older than the
 * retention. Polls every {@link #POLL}, and at once when this server has committed a change.
 */
final class PostgresChangeFeed implements ChangeHistory, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PostgresChangeFeed.class.getName());
  /** The advisory lock the server that numbers changes holds for its transaction ("execlog1"). */
  static final long NUMBERING_LOCK = 0x657865636c6f6731L;
  static final Duration POLL = Duration.ofMillis(100);
  /** Changes a pass reads at most before handing them on. */
  private static final int PAGE = 1000;
  private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

  private final Transactions tx;
  private final Consumer<List<LogChange>> publish;
  private final Duration retention;
  /** Reads the runs removed changes keep, as {@link PostgresRuns} wrote them (times in UTC). */
  private final LogFileCodec codec = new LogFileCodec(new Timestamps(ZoneOffset.UTC), new Interner());
  private final String feedId;
  private final Semaphore wake = new Semaphore(0);
  private final Thread poller;
  private volatile long lastSequence;
  /** One pass at a time: the poller's, or a watch's {@link #catchUp}. */
  private final Object pass = new Object();
  private volatile boolean closed;
  private long lastPruneNanos = System.nanoTime();
  private long failures;

  PostgresChangeFeed(DataSource pool, Duration retention, Consumer<List<LogChange>> publish) {
    this.tx = new Transactions(pool);
    this.publish = publish;
    this.retention = retention;
    String[] start = tx.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT (SELECT feed_id FROM log_meta),"
          + " (SELECT coalesce(max(feed_seq), 0) FROM changes)");
           ResultSet r = s.executeQuery()) {
        r.next();
        return new String[] {r.getString(1), Long.toString(r.getLong(2))};
      }
    });
    this.feedId = start[0];
    this.lastSequence = Long.parseLong(start[1]);
    this.poller = new Thread(this::poll, "execlog-change-feed");
    poller.setDaemon(true);
    poller.start();
  }

  /** A change was committed here: look now rather than at the next poll. */
  void nudge() {
    wake.release();
  }

  @Override
  public String feedId() {
    return feedId;
  }

  @Override
  public void catchUp() {
    try {
      synchronized (pass) {
        number();
        deliver();
      }
    } catch (RuntimeException e) {
      LOG.fine("change feed: catching up failed, the poller goes on: " + e.getMessage());
    }
  }

  @Override
  public long lastSequence() {
    return lastSequence;
  }

  private void poll() {
    while (!closed) {
      try {
        wake.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS);
        wake.drainPermits();
        if (closed) {
          return;
        }
        synchronized (pass) {
          number();
          deliver();
        }
        pruneNowAndThen();
        failures = 0;
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // The database is down or restarting: changes wait in their table, so nothing is lost.
        if (failures++ % 50 == 0) {
          LOG.warning("change feed: " + e.getMessage() + "; retrying");
        }
        sleepQuietly(Math.min(2000, 100 * failures));
      }
    }
  }

  /**
   * Numbers the changes of finished transactions, when no other server is doing it: every
   * transaction below the oldest running one has committed or aborted, so no row can join them.
   */
  private void number() {
    tx.write(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_xact_lock(?)")) {
        s.setLong(1, NUMBERING_LOCK);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          if (!r.getBoolean(1)) {
            return 0;
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement("UPDATE changes c SET feed_seq = n.seq FROM (SELECT change_id,"
          + " (SELECT coalesce(max(feed_seq), 0) FROM changes) + row_number() OVER (ORDER BY txid, change_id) AS seq"
          + " FROM changes WHERE feed_seq IS NULL AND txid < pg_snapshot_xmin(pg_current_snapshot())) n"
          + " WHERE c.change_id = n.change_id")) {
        return s.executeUpdate();
      }
    });
  }

  /** Hands the numbered changes this server has not handed on yet to the listeners, in order. */
  private void deliver() {
    while (!closed) {
      List<LogChange> page = tx.read(c -> read(c, lastSequence, Long.MAX_VALUE, PAGE));
      if (page.isEmpty()) {
        return;
      }
      publish.accept(page);
      lastSequence = page.get(page.size() - 1).sequence();
      if (page.size() < PAGE) {
        return;
      }
    }
  }

  @Override
  public List<LogChange> between(long sequence, long upTo, int max) {
    if (upTo <= sequence) {
      return List.of();
    }
    List<LogChange> changes = tx.read(c -> read(c, sequence, upTo, max + 1));
    boolean complete = !changes.isEmpty() && changes.get(0).sequence() == sequence + 1 && changes.size() <= max;
    return complete ? changes : null;
  }

  private List<LogChange> read(Connection c, long after, long upTo, int limit) throws SQLException {
    record Row(long seq, char kind, String runId, String taskId, String taskType, boolean success, String json) {}
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT feed_seq, kind, run_id, task_id, task_type, success, run_json"
        + " FROM changes WHERE feed_seq > ? AND feed_seq <= ? ORDER BY feed_seq LIMIT ?")) {
      s.setLong(1, after);
      s.setLong(2, upTo);
      s.setInt(3, limit);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          rows.add(new Row(r.getLong(1), r.getString(2).charAt(0), r.getString(3), r.getString(4), r.getString(5),
              r.getBoolean(6), r.getString(7)));
        }
      }
    }
    String[] live = rows.stream().filter(r -> r.kind() != 'D').map(Row::runId).distinct().toArray(String[]::new);
    Map<String, Execution> runs = live.length == 0 ? Map.of() : RunRows.byIds(c, live, false);
    List<LogChange> changes = new ArrayList<>(rows.size());
    for (Row row : rows) {
      Execution run = row.kind() == 'D' ? removed(row.json()) : runs.get(row.runId());
      if (run == null) {
        // Removed since: the change row still says which run, task and outcome it was.
        run = Execution.builder(row.runId(), row.taskId()).taskType(row.taskType()).success(row.success()).build();
      }
      LogChange.Kind kind = switch (row.kind()) {
        case 'R' -> LogChange.Kind.RECORDED;
        case 'U' -> LogChange.Kind.UPDATED;
        default -> LogChange.Kind.REMOVED;
      };
      changes.add(new LogChange(kind, run, row.seq()));
    }
    return changes;
  }

  private Execution removed(String json) {
    if (json == null) {
      return null;
    }
    try {
      return codec.readRun(json);
    } catch (LogFormatException e) {
      LOG.warning("change feed: a removed run's stored JSON does not read back: " + e.getMessage());
      return null;
    }
  }

  /** Removes numbered changes older than the retention: watchers resuming from before them start afresh. */
  private void pruneNowAndThen() {
    if (System.nanoTime() - lastPruneNanos < PRUNE_EVERY.toNanos()) {
      return;
    }
    lastPruneNanos = System.nanoTime();
    tx.write(c -> {
      // The newest numbered change stays whatever its age: numbering goes on from it.
      try (PreparedStatement s = c.prepareStatement("DELETE FROM changes WHERE feed_seq IS NOT NULL"
          + " AND feed_seq < (SELECT max(feed_seq) FROM changes) AND at < clock_timestamp() - make_interval(secs => ?)")) {
        s.setDouble(1, retention.toSeconds());
        return s.executeUpdate();
      }
    });
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    wake.release();
    try {
      poller.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
