package dev.execlog.server.postgres;

import dev.execlog.server.json.LogFileCodec;
import dev.execlog.server.json.Interner;
import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.LogMetadata;
import dev.execlog.server.model.TaskSummary;
import dev.execlog.server.store.LogChange;
import dev.execlog.server.store.RecordOutcome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * The runs of a PostgreSQL store: record, read by id, newest of a task, task summaries, removal.
 * Each write is one transaction that also writes its {@code changes} rows and, last, the
 * {@code tasks} counters in task-id order, so that writes never deadlock on the counters; reads run
 * in one REPEATABLE READ snapshot. Answers as {@code LogStore} does: a record retried with the same
 * content returns the stored run, the same id with other content is RUN_ID_TAKEN.
 *
 * <p>Unlike a loaded JSON file, the database cannot hold two runs with one id (a unique constraint).
 */
public final class PostgresRuns {

  private static final String NEWEST_FIRST = PostgresView.NEWEST_FIRST;

  private final Transactions tx;
  private final RunRows rows;
  private final UnaryOperator<String> pathKey;
  /** Hears of every committed change, after its commit, in the order of this server's commits. */
  private final Consumer<List<LogChange>> published;
  /** Writes a removed run into its change row, as the journal writes runs (times in UTC). */
  private final LogFileCodec codec = new LogFileCodec(new Timestamps(ZoneOffset.UTC), new Interner());

  /**
   * @param pathKey the normalization under which file paths are indexed ({@code PathPolicy::indexKey})
   */
  public PostgresRuns(DataSource dataSource, UnaryOperator<String> pathKey) {
    this(dataSource, pathKey, changes -> { });
  }

  /** @param published hears of the changes of each write after it committed */
  public PostgresRuns(DataSource dataSource, UnaryOperator<String> pathKey, Consumer<List<LogChange>> published) {
    this.tx = new Transactions(dataSource);
    this.rows = new RunRows(pathKey);
    this.pathKey = pathKey;
    this.published = published;
  }

  /** A write's answer and the changes it made, published once the transaction committed. */
  private record Written<T>(T result, List<LogChange> changes) {}

  private <T> T write(Transactions.Work<Written<T>> work) {
    Written<T> written = tx.write(work);
    if (!written.changes().isEmpty()) {
      published.accept(written.changes());
    }
    return written.result();
  }

  private static LogChange change(LogChange.Kind kind, Execution run) {
    return new LogChange(kind, run, 0);
  }

  /** Runs read-only work in one REPEATABLE READ snapshot. */
  <T> T read(Transactions.Work<T> work) {
    return tx.read(work);
  }

  /**
   * Records a run. A run whose id is already stored with the same content is returned as it is
   * (a retry; {@code timeGiven}/{@code hostGiven} say whether the time and host take part in the
   * comparison); the same id with other content is RUN_ID_TAKEN. Durable when it returns.
   */
  public RecordOutcome record(Execution run, boolean timeGiven, boolean hostGiven) {
    return write(c -> {
      if (rows.insert(c, run) >= 0) {
        return new Written<>(new RecordOutcome(run, false), List.of(change(LogChange.Kind.RECORDED, run)));
      }
      // The id is taken: by a committed run (an insert of the same id still in flight was waited for).
      Execution stored = RunRows.byIds(c, new String[] {run.runId()}, false).get(run.runId());
      if (stored == null) {
        throw new Transactions.Retry("run " + run.runId() + " was removed meanwhile");
      }
      if (stored.sameContentAs(run, timeGiven, hostGiven)) {
        return new Written<>(new RecordOutcome(stored, true), List.of());
      }
      throw ExecLogException.runIdTaken("execution.run_id", run.runId(), "a different run with id " + run.runId()
          + " is already recorded; send a new UUID for a new run");
    });
  }

  /**
   * Transactions run again after a deadlock or a serialization failure (a metric: with locks taken
   * in one order it stays 0, and a row removed while a retried record read it is the rare other case).
   */
  public long retriedTransactions() {
    return tx.retried();
  }

  /**
   * Replaces a run with a changed version of itself (the change keeps its id and task), with an
   * UPDATED change row; RUN_NOT_FOUND names {@code runIdField} when no run has the id. A change
   * that changes nothing writes nothing.
   */
  public Execution update(String runId, String runIdField, UnaryOperator<Execution> change) {
    return write(c -> {
      Execution current = RunRows.byIds(c, new String[] {runId}, true).get(runId);
      if (current == null) {
        throw ExecLogException.runNotFound(runIdField, runId);
      }
      return rewrite(c, current, change);
    });
  }

  /** Changes the newest run of a task (any status); TASK_HAS_NO_RUN when it has none. */
  public Execution updateLatest(String taskId, UnaryOperator<Execution> change) {
    return write(c -> {
      Execution latest;
      try (PreparedStatement s = c.prepareStatement("SELECT " + RunRows.COLUMNS + " FROM runs WHERE task_id = ?"
          + NEWEST_FIRST + " LIMIT 1 FOR UPDATE")) {
        s.setString(1, taskId);
        List<Execution> found = RunRows.withFiles(c, RunRows.readRows(s));
        latest = found.isEmpty() ? null : found.get(0);
      }
      if (latest == null) {
        throw ExecLogException.taskHasNoRun("task_id", taskId, "task " + taskId + " has no recorded run to add files"
            + " to; record a run first");
      }
      return rewrite(c, latest, change);
    });
  }

  private Written<Execution> rewrite(Connection c, Execution current, UnaryOperator<Execution> change)
      throws SQLException {
    Execution updated = change.apply(current);
    if (!updated.runId().equals(current.runId()) || !updated.taskId().equals(current.taskId())) {
      throw new IllegalArgumentException("an update keeps the run's id and task");
    }
    if (updated.equals(current)) {
      return new Written<>(updated, List.of());
    }
    rows.replace(c, current, updated);
    changes(c, 'U', List.of(updated), false);
    return new Written<>(updated, List.of(change(LogChange.Kind.UPDATED, updated)));
  }

  /** The run with this id, or null. */
  public Execution get(String runId) {
    return tx.read(c -> new PostgresView(c, pathKey).get(runId));
  }

  /** The task's newest run (its newest successful one with {@code successOnly}), or null. */
  public Execution latest(String taskId, boolean successOnly) {
    return tx.read(c -> new PostgresView(c, pathKey).latest(taskId, successOnly));
  }

  /** The task's summary (newest run and number of runs), or null when it has no run. */
  public TaskSummary summary(String taskId) {
    return tx.read(c -> new PostgresView(c, pathKey).summary(taskId));
  }

  /**
   * Summaries ordered by task id (code-point order), after {@code afterTaskId} (null: from the
   * start), at most {@code limit}.
   */
  public List<TaskSummary> summaries(String afterTaskId, int limit) {
    return tx.read(c -> new PostgresView(c, pathKey).summaries(afterTaskId, limit));
  }

  /** Removes the run with this id and returns it as it was; RUN_NOT_FOUND when none has the id. */
  public Execution delete(String runId) {
    List<Execution> removed = write(c -> removed(remove(c, List.of(runId))));
    if (removed.isEmpty()) {
      throw ExecLogException.runNotFound("run_id", runId);
    }
    return removed.get(0);
  }

  /** Removes, in one transaction, the runs that exist among the ids; returns the ids removed. */
  public List<String> deleteAll(Collection<String> runIds) {
    return write(c -> removed(remove(c, runIds))).stream().map(Execution::runId).toList();
  }

  private static Written<List<Execution>> removed(List<Execution> runs) {
    return new Written<>(runs, runs.stream().map(r -> change(LogChange.Kind.REMOVED, r)).toList());
  }

  private List<Execution> remove(Connection c, Collection<String> runIds) throws SQLException {
    String[] ids = new LinkedHashSet<>(runIds).toArray(String[]::new);
    // Locks the runs in seq order, so that two removals of overlapping sets cannot deadlock.
    Map<String, Execution> found = RunRows.byIds(c, ids, true);
    if (found.isEmpty()) {
      return List.of();
    }
    try (PreparedStatement s = c.prepareStatement("DELETE FROM runs WHERE run_id = ANY (?)")) {
      s.setArray(1, c.createArrayOf("text", found.keySet().toArray(String[]::new)));
      s.executeUpdate();
    }
    Map<String, Integer> perTask = new HashMap<>();
    List<Execution> removed = new ArrayList<>(found.size());
    for (String id : ids) {
      Execution run = found.get(id);
      if (run != null) {
        removed.add(run);
        perTask.merge(run.taskId(), -1, Integer::sum);
      }
    }
    changes(c, 'D', removed, true);
    countRuns(c, perTask);
    return removed;
  }

  /** Runs written per statement by an import. */
  private static final int IMPORT_BATCH = 1000;

  /**
   * Adds, in one transaction, the runs whose ids are not stored yet (a later copy of an id in the
   * list is skipped too); returns how many were added. A failure adds none.
   */
  public int merge(List<Execution> runs) {
    return write(c -> {
      List<Execution> added = insertAll(c, runs);
      return new Written<>(added.size(), added.stream().map(r -> change(LogChange.Kind.RECORDED, r)).toList());
    });
  }

  /**
   * Replaces every run and the log's top-level keys in one transaction. Writers that commit while
   * it runs come after it: the task counters are locked first, so no record can count a run that
   * the replacement removes, or lose its count to it.
   */
  public void replace(LogMetadata metadata, List<Execution> runs) {
    write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("LOCK TABLE tasks IN EXCLUSIVE MODE");
      }
      List<Execution> old;
      try (PreparedStatement s = c.prepareStatement("SELECT " + RunRows.COLUMNS + " FROM runs ORDER BY seq")) {
        old = RunRows.withFiles(c, RunRows.readRows(s));
      }
      try (Statement s = c.createStatement()) {
        s.executeUpdate("DELETE FROM runs");
        s.executeUpdate("DELETE FROM tasks");
      }
      changes(c, 'D', old, true);
      List<Execution> added = insertAll(c, runs);
      LogMeta.write(c, metadata);
      List<LogChange> changes = new ArrayList<>(old.size() + added.size());
      old.forEach(r -> changes.add(change(LogChange.Kind.REMOVED, r)));
      added.forEach(r -> changes.add(change(LogChange.Kind.RECORDED, r)));
      return new Written<>(null, changes);
    });
  }

  /** Inserts the runs in batches, then counts them on their tasks, last and in task-id order. */
  private List<Execution> insertAll(Connection c, List<Execution> runs) throws SQLException {
    List<Execution> added = new ArrayList<>(runs.size());
    for (int from = 0; from < runs.size(); from += IMPORT_BATCH) {
      added.addAll(rows.insertMany(c, runs.subList(from, Math.min(runs.size(), from + IMPORT_BATCH))));
    }
    Map<String, Integer> perTask = new HashMap<>();
    added.forEach(r -> perTask.merge(r.taskId(), 1, Integer::sum));
    countRuns(c, perTask);
    return added;
  }

  private void changes(Connection c, char kind, List<Execution> runs, boolean withRun) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO changes (kind, run_id, task_id, task_type, success,"
        + " run_json) VALUES ('" + kind + "', ?, ?, ?, ?, ?)")) {
      for (Execution run : runs) {
        s.setString(1, run.runId());
        s.setString(2, run.taskId());
        s.setString(3, run.taskType());
        s.setBoolean(4, run.success());
        s.setString(5, withRun ? codec.writeRun(run) : null);
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  /**
   * Adds the deltas to the tasks' run counters, in task-id order and last in the transaction: the
   * counters are the only rows writers share, so taking them in one order keeps writes that touch
   * several tasks from deadlocking. A task whose count reaches 0 loses its row.
   */
  private static void countRuns(Connection c, Map<String, Integer> deltas) throws SQLException {
    for (Map.Entry<String, Integer> e : new TreeMap<>(deltas).entrySet()) {
      int delta = e.getValue();
      if (delta > 0) {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO tasks (task_id, run_count) VALUES (?, ?)"
            + " ON CONFLICT (task_id) DO UPDATE SET run_count = tasks.run_count + excluded.run_count")) {
          s.setString(1, e.getKey());
          s.setLong(2, delta);
          s.executeUpdate();
        }
      } else if (delta < 0) {
        // Removing every run of the task removes its row; else the count goes down. The row is locked
        // and read first: a decision taken on the statement's snapshot could be stale by the time a
        // concurrent writer of the same task releases the row (then 2 - 2 would be written as 0).
        long count;
        try (PreparedStatement s = c.prepareStatement("SELECT run_count FROM tasks WHERE task_id = ? FOR UPDATE")) {
          s.setString(1, e.getKey());
          try (ResultSet r = s.executeQuery()) {
            count = r.next() ? r.getLong(1) : 0;
          }
        }
        try (PreparedStatement s = c.prepareStatement(count + delta <= 0
            ? "DELETE FROM tasks WHERE task_id = ?" : "UPDATE tasks SET run_count = run_count + ? WHERE task_id = ?")) {
          int i = 1;
          if (count + delta > 0) {
            s.setLong(i++, delta);
          }
          s.setString(i, e.getKey());
          s.executeUpdate();
        }
      }
    }
  }
}
