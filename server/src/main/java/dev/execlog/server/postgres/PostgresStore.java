package dev.execlog.server.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.execlog.server.json.Interner;
import dev.execlog.server.json.LogFileCodec;
import dev.execlog.server.json.LogSnapshot;
import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.LogMetadata;
import dev.execlog.server.model.TaskSummary;
import dev.execlog.server.store.ChangeHistory;
import dev.execlog.server.store.ExecutionStore;
import dev.execlog.server.store.LogChange;
import dev.execlog.server.store.LogInfo;
import dev.execlog.server.store.LogView;
import dev.execlog.server.store.RecordOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * The log in a PostgreSQL database (schema: {@code db/migration}): every read is one REPEATABLE
 * READ transaction, every write one transaction that is durable when it returns, whole-log passes
 * stream the runs in pages from one snapshot. Servers share nothing but the database, so several
 * may serve one log; changes reach watchers through {@link PostgresChangeFeed}, the same stream on
 * every server.
 */
public final class PostgresStore implements ExecutionStore {

  private static final Logger LOG = Logger.getLogger(PostgresStore.class.getName());
  /** Runs a whole-log pass reads per query. */
  private static final int SCAN_PAGE = 1000;

  private final HikariDataSource pool;
  private final PostgresLocation location;
  private final UnaryOperator<String> pathKey;
  private final LogFileCodec codec;
  private final PostgresRuns runs;
  private final CopyOnWriteArrayList<Consumer<List<LogChange>>> listeners = new CopyOnWriteArrayList<>();
  private final PostgresChangeFeed feed;
  private final PostgresHealth health;

  private PostgresStore(HikariDataSource pool, PostgresLocation location, UnaryOperator<String> pathKey,
      Timestamps timestamps) {
    this.pool = pool;
    this.location = location;
    this.pathKey = pathKey;
    this.codec = new LogFileCodec(timestamps, new Interner());
    this.runs = new PostgresRuns(pool, pathKey, committed -> nudgeFeed());
    this.feed = new PostgresChangeFeed(pool, CHANGE_RETENTION, this::publish);
    this.health = new PostgresHealth(location);
  }

  /** How long the database keeps changes for watchers that resume. */
  public static final Duration CHANGE_RETENTION = Duration.ofDays(7);

  private void nudgeFeed() {
    if (feed != null) {
      feed.nudge();
    }
  }

  /**
   * Connects and checks that the schema is this build's and was set up for {@code projectRoot};
   * refuses to start otherwise, saying which command to run.
   *
   * @param maxConnections the pool's bound: calls beyond it wait for a connection
   */
  public static PostgresStore open(PostgresLocation location, Path projectRoot, UnaryOperator<String> pathKey,
      Timestamps timestamps, int maxConnections) {
    HikariDataSource pool = PostgresPool.open(location, maxConnections, "execlog-server");
    try {
      new PostgresSchema(pool, location.display()).check(projectRoot);
      return new PostgresStore(pool, location, pathKey, timestamps);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  // Changes come from the feed's one thread, numbered and in the database's order.
  private void publish(List<LogChange> changes) {
    for (var listener : listeners) {
      try {
        listener.accept(changes);
      } catch (RuntimeException e) {
        LOG.warning("a change listener failed: " + e);
      }
    }
  }

  // ------------------------------------------------------------------ reads

  @Override
  public <T> T read(Function<LogView, T> query) {
    return runs.read(c -> {
      try {
        return query.apply(new PostgresView(c, pathKey));
      } catch (PostgresView.SqlFailure e) {
        throw e.getCause();
      }
    });
  }

  @Override
  public <T> T scan(Pass<T> pass) throws IOException {
    try {
      return runs.read(c -> {
        try {
          return pass.over(snapshot(c));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        } catch (PostgresView.SqlFailure e) {
          throw e.getCause();
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private LogSnapshot snapshot(Connection c) throws SQLException {
    LogMetadata metadata = LogMeta.read(c);
    PostgresView view = new PostgresView(c, pathKey);
    List<TaskSummary> summaries = view.summaries(null, Integer.MAX_VALUE);
    long count = summaries.stream().mapToLong(TaskSummary::runCount).sum();
    Iterable<Execution> inFileOrder = () -> new RunsInFileOrder(c);
    return new LogSnapshot(inFileOrder, count, summaries, metadata, lastModified(c, metadata));
  }

  private long lastModified(Connection c, LogMetadata metadata) throws SQLException {
    Long created = codec.timestamps().parseMicros(metadata.createdText());
    return LogMeta.lastModifiedMicros(c, created != null ? created : Timestamps.nowMicros());
  }

  /** The runs in order of recording, a page per query (keyset on {@code seq}), in the caller's snapshot. */
  private static final class RunsInFileOrder extends PagedRuns {
    private final Connection c;
    private long lastSeq = Long.MIN_VALUE;
    private int lastPageSize;

    RunsInFileOrder(Connection c) {
      this.c = c;
    }

    @Override
    protected List<Execution> readPage() {
      try (PreparedStatement s = c.prepareStatement("SELECT " + RunRows.COLUMNS + " FROM runs WHERE seq > ?"
          + " ORDER BY seq LIMIT " + SCAN_PAGE)) {
        s.setLong(1, lastSeq);
        List<RunRows.Row> rows = RunRows.readRows(s);
        lastPageSize = rows.size();
        if (!rows.isEmpty()) {
          lastSeq = rows.get(rows.size() - 1).seq();
        }
        return RunRows.withFiles(c, rows);
      } catch (SQLException e) {
        throw new PostgresView.SqlFailure(e);
      }
    }

    @Override
    protected boolean wasLastPage() {
      return lastPageSize < SCAN_PAGE;
    }
  }

  /**
   * Fails at once while the health check finds the database away, instead of after the pool's
   * connection timeout: metrics scrapes and probes that ask for it stay fast.
   */
  @Override
  public LogInfo info() {
    if (!health.reachable()) {
      throw ExecLogException.storage("the database " + location.display() + " does not answer", null);
    }
    return runs.read(c -> {
      LogMetadata metadata = LogMeta.read(c);
      try (PreparedStatement s = c.prepareStatement("SELECT coalesce(sum(run_count), 0), count(*),"
          + " pg_database_size(current_database()) FROM tasks");
           ResultSet r = s.executeQuery()) {
        r.next();
        return new LogInfo("postgresql", location.display(), r.getLong(1), r.getLong(2), r.getLong(3), lastModified(c, metadata),
            metadata.createdText(), metadata.version());
      }
    });
  }

  @Override
  public LogFileCodec codec() {
    return codec;
  }

  /**
   * Whether the database answered its last health check: readiness follows it. Calls meanwhile are
   * tried anyway, and fail with STORAGE_FAILURE (retryable) while it is away.
   */
  @Override
  public boolean writable() {
    return health.reachable();
  }

  @Override
  public void addWritableListener(Runnable listener) {
    health.addListener(listener);
  }

  @Override
  public void addChangeListener(Consumer<List<LogChange>> listener) {
    listeners.add(listener);
  }

  @Override
  public void removeChangeListener(Consumer<List<LogChange>> listener) {
    listeners.remove(listener);
  }

  @Override
  public Optional<ChangeHistory> changeHistory() {
    return Optional.of(feed);
  }

  // ------------------------------------------------------------------ writes

  @Override
  public RecordOutcome record(Execution run, boolean timeGiven, boolean hostGiven) {
    return runs.record(run, timeGiven, hostGiven);
  }

  @Override
  public Execution update(String runId, String runIdField, UnaryOperator<Execution> change) {
    return runs.update(runId, runIdField, change);
  }

  @Override
  public Execution updateLatest(String taskId, UnaryOperator<Execution> change) {
    return runs.updateLatest(taskId, change);
  }

  @Override
  public Execution delete(String runId) {
    return runs.delete(runId);
  }

  @Override
  public List<String> deleteAll(Collection<String> runIds) {
    return runs.deleteAll(runIds);
  }

  @Override
  public int merge(List<Execution> added) {
    return runs.merge(added);
  }

  @Override
  public void replace(LogMetadata metadata, List<Execution> all) {
    runs.replace(metadata, all);
  }

  /**
   * A session advisory lock on a connection of its own, held until the maintenance ends: the
   * database releases it if this server dies meanwhile.
   */
  @Override
  public Maintenance startMaintenance() {
    Connection c = null;
    try {
      c = pool.getConnection();
      c.setAutoCommit(true);
      try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
        s.setLong(1, MAINTENANCE_LOCK);
        try (ResultSet r = s.executeQuery()) {
          r.next();
          if (!r.getBoolean(1)) {
            throw new ExecLogException(ErrorReason.MAINTENANCE_RUNNING, Map.of(), "another cleanup or import is"
                + " running on this log (through this or another server); nothing was changed: try again once it"
                + " has finished", null);
          }
        }
      }
      Connection held = c;
      return () -> release(held);
    } catch (SQLException e) {
      closeQuietly(c);
      throw Transactions.translate(e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** The advisory lock of cleanups and imports ("execlog2"). */
  static final long MAINTENANCE_LOCK = 0x657865636c6f6732L;

  private static void release(Connection c) {
    try (PreparedStatement s = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      s.setLong(1, MAINTENANCE_LOCK);
      s.execute();
    } catch (SQLException e) {
      LOG.warning("releasing the maintenance lock: " + e.getMessage() + " (closing its connection releases it)");
    } finally {
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException ignored) {
      // a broken connection: the pool drops it, and the database ends its session and its locks
    }
  }

  /** Transactions run again after a serialization failure or a deadlock (see {@link PostgresRuns}). */
  public long retriedTransactions() {
    return runs.retriedTransactions();
  }

  @Override
  public void close() {
    health.close();
    feed.close();
    pool.close();
  }
}
