package dev.execlog.server.postgres;

import dev.execlog.server.model.Execution;
import dev.execlog.server.model.TaskSummary;
import dev.execlog.server.store.HistoryPage;
import dev.execlog.server.store.HistoryQuery;
import dev.execlog.server.store.LogView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The log's queries as SQL on one connection inside one REPEATABLE READ transaction, so every
 * answer of a view comes from the same snapshot. Files are read for a whole result at once (two
 * queries whatever the number of runs), and batched path lookups answer many paths in one query.
 * A failure reaches {@link PostgresStore#read} as a {@link SqlFailure}.
 */
final class PostgresView implements LogView {

  static final String NEWEST_FIRST = " ORDER BY record_us DESC, seq DESC";
  /** Runs of a task read per query when a walk iterates over all of them. */
  private static final int RUNS_PER_PAGE = 500;

  /** An {@link SQLException} carried through the view's unchecked methods. */
  static final class SqlFailure extends RuntimeException {
    SqlFailure(SQLException cause) {
      super(cause);
    }

    @Override
    public synchronized SQLException getCause() {
      return (SQLException) super.getCause();
    }
  }

  private interface Query<T> {
    T run() throws SQLException;
  }

  private final Connection c;
  private final UnaryOperator<String> pathKey;

  PostgresView(Connection c, UnaryOperator<String> pathKey) {
    this.c = c;
    this.pathKey = pathKey;
  }

  private static <T> T sql(Query<T> query) {
    try {
      return query.run();
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
  }

  @Override
  public Execution get(String runId) {
    return sql(() -> RunRows.byIds(c, new String[] {runId}, false).get(runId));
  }

  @Override
  public long size() {
    return sql(() -> {
      try (PreparedStatement s = c.prepareStatement("SELECT coalesce(sum(run_count), 0) FROM tasks");
           ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    });
  }

  @Override
  public Execution latest(String taskId, boolean successOnly) {
    return sql(() -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + RunRows.COLUMNS + " FROM runs WHERE task_id = ?"
          + (successOnly ? " AND success" : "") + NEWEST_FIRST + " LIMIT 1")) {
        s.setString(1, taskId);
        List<Execution> runs = RunRows.withFiles(c, RunRows.readRows(s));
        return runs.isEmpty() ? null : runs.get(0);
      }
    });
  }

  @Override
  public TaskSummary summary(String taskId) {
    List<TaskSummary> one = sql(() -> summaries("t.task_id = ?", taskId, 1));
    return one.isEmpty() ? null : one.get(0);
  }

  @Override
  public List<TaskSummary> summaries(String afterTaskId, int limit) {
    return sql(() -> afterTaskId == null ? summaries("true", null, limit) : summaries("t.task_id > ?", afterTaskId, limit));
  }

  /** Summaries in task-id order: each task's counter and its newest run. */
  private List<TaskSummary> summaries(String where, String param, int limit) throws SQLException {
    List<Long> counts = new ArrayList<>();
    List<RunRows.Row> newest;
    try (PreparedStatement s = c.prepareStatement("SELECT r.*, t.run_count FROM tasks t CROSS JOIN LATERAL"
        + " (SELECT " + RunRows.COLUMNS + " FROM runs WHERE runs.task_id = t.task_id" + NEWEST_FIRST + " LIMIT 1) r"
        + " WHERE " + where + " ORDER BY t.task_id LIMIT ?")) {
      int i = 1;
      if (param != null) {
        s.setString(i++, param);
      }
      s.setInt(i, limit);
      newest = RunRows.readRows(s, r -> counts.add(r.getLong("run_count")));
    }
    List<Execution> runs = RunRows.withFiles(c, newest);
    List<TaskSummary> page = new ArrayList<>(runs.size());
    for (int i = 0; i < runs.size(); i++) {
      page.add(new TaskSummary(runs.get(i), counts.get(i)));
    }
    return page;
  }

  @Override
  public List<Execution> producers(String path) {
    return producers(List.of(path)).values().iterator().next();
  }

  @Override
  public Execution newestProducer(String path) {
    return sql(() -> {
      try (PreparedStatement s = c.prepareStatement("SELECT " + RunRows.COLUMNS + " FROM runs WHERE seq ="
          + " (SELECT run_seq FROM run_outputs WHERE coalesce(path_key, path) = ?"
          + " ORDER BY record_us DESC, run_seq DESC LIMIT 1)")) {
        s.setString(1, pathKey.apply(path));
        List<Execution> runs = RunRows.withFiles(c, RunRows.readRows(s));
        return runs.isEmpty() ? null : runs.get(0);
      }
    });
  }

  @Override
  public List<Execution> consumers(String path) {
    return consumers(List.of(path)).values().iterator().next();
  }

  @Override
  public Map<String, List<Execution>> producers(Collection<String> paths) {
    return sql(() -> byPath("run_outputs", paths));
  }

  @Override
  public Map<String, List<Execution>> consumers(Collection<String> paths) {
    return sql(() -> byPath("run_inputs", paths));
  }

  /**
   * The runs that list each path in {@code files} (run_inputs or run_outputs), newest first, in one
   * query for all paths; a run that lists a path twice appears once. Keys are the paths as given.
   */
  private Map<String, List<Execution>> byPath(String files, Collection<String> paths) throws SQLException {
    Map<String, String> keyOf = new LinkedHashMap<>();
    for (String p : paths) {
      keyOf.put(p, pathKey.apply(p));
    }
    Map<String, List<RunRows.Row>> rowsByKey = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("SELECT " + RunRows.COLUMNS + ", f.k FROM runs JOIN"
        + " (SELECT DISTINCT coalesce(path_key, path) AS k, run_seq FROM " + files
        + " WHERE coalesce(path_key, path) = ANY (?)) f ON f.run_seq = runs.seq"
        + " ORDER BY f.k, record_us DESC, seq DESC")) {
      s.setArray(1, c.createArrayOf("text", new LinkedHashSet<>(keyOf.values()).toArray()));
      List<RunRows.Row> rows = RunRows.readRows(s, r -> keys.add(r.getString("k")));
      for (int i = 0; i < rows.size(); i++) {
        rowsByKey.computeIfAbsent(keys.get(i), k -> new ArrayList<>()).add(rows.get(i));
      }
    }
    // One run may list several of the paths: read each run's files once.
    Map<Long, RunRows.Row> distinct = new LinkedHashMap<>();
    rowsByKey.values().forEach(rows -> rows.forEach(r -> distinct.putIfAbsent(r.seq(), r)));
    List<Execution> runs = RunRows.withFiles(c, new ArrayList<>(distinct.values()));
    Map<Long, Execution> bySeq = new LinkedHashMap<>();
    int i = 0;
    for (Long seq : distinct.keySet()) {
      bySeq.put(seq, runs.get(i++));
    }
    Map<String, List<Execution>> found = new LinkedHashMap<>();
    for (Map.Entry<String, String> p : keyOf.entrySet()) {
      List<Execution> list = new ArrayList<>();
      for (RunRows.Row row : rowsByKey.getOrDefault(p.getValue(), List.of())) {
        list.add(bySeq.get(row.seq()));
      }
      found.put(p.getKey(), list);
    }
    return found;
  }

  @Override
  public Iterable<Execution> runsOf(String taskId) {
    HistoryQuery all = new HistoryQuery(taskId, false, null, null);
    return () -> new PagedRuns() {
      private HistoryPage read;

      @Override
      protected List<Execution> readPage() {
        read = history(all, read == null ? null : read.next(), RUNS_PER_PAGE);
        return read.executions();
      }

      @Override
      protected boolean wasLastPage() {
        return read.next() == null;
      }
    };
  }

  @Override
  public HistoryPage history(HistoryQuery query, HistoryPage.Position after, int limit) {
    return sql(() -> {
      StringBuilder where = new StringBuilder(" WHERE true");
      List<Object> params = new ArrayList<>();
      if (query.taskId() != null) {
        where.append(" AND task_id = ?");
        params.add(query.taskId());
      }
      if (query.successOnly()) {
        where.append(" AND success");
      }
      if (query.startMicros() != null) {
        where.append(" AND record_us >= ?");
        params.add(query.startMicros());
      }
      if (query.endMicros() != null) {
        where.append(" AND record_us < ?");
        params.add(query.endMicros());
      }
      if (after != null) {
        where.append(" AND (record_us, seq) < (?, ?)");
        params.add(after.timeMicros());
        params.add(after.seq());
      }
      try (PreparedStatement s = c.prepareStatement("SELECT " + RunRows.COLUMNS + " FROM runs" + where
          + NEWEST_FIRST + " LIMIT ?")) {
        int i = 1;
        for (Object p : params) {
          if (p instanceof Long l) {
            s.setLong(i++, l);
          } else {
            s.setString(i++, (String) p);
          }
        }
        s.setInt(i, limit + 1);
        List<RunRows.Row> rows = RunRows.readRows(s);
        boolean more = rows.size() > limit;
        List<RunRows.Row> kept = more ? rows.subList(0, limit) : rows;
        List<Execution> runs = RunRows.withFiles(c, kept);
        List<HistoryPage.Position> positions = new ArrayList<>(runs.size());
        for (int k = 0; k < runs.size(); k++) {
          positions.add(new HistoryPage.Position(runs.get(k).recordTimeMicros(), kept.get(k).seq()));
        }
        return new HistoryPage(runs, positions, more ? positions.get(positions.size() - 1) : null);
      }
    });
  }
}
