package dev.execlog.server.postgres;

import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Runs as rows: writes a run into {@code runs}, {@code run_inputs} and {@code run_outputs}, and
 * reads runs back, their files in two batched queries whatever the number of runs.
 */
final class RunRows {

  /** The columns of {@code runs} that {@link #readRuns} expects, in this order. */
  static final String COLUMNS = "seq, run_id, task_id, task_type, record_us, success, duration_s, duration_integer,"
      + " report_path, hostname, extra_json, raw_json";

  /** A run's row before its files are read: its order of recording and its fields. */
  record Row(long seq, Execution.Builder run) {}

  private final UnaryOperator<String> pathKey;

  RunRows(UnaryOperator<String> pathKey) {
    this.pathKey = pathKey;
  }

  /**
   * Inserts the run unless its id is taken, with its change row, its file rows and, last, one more
   * run on its task's counter; returns its {@code seq}, or -1 when the id is taken (then nothing is
   * written). Two statements whatever the number of files: a record costs three round trips with
   * the commit.
   */
  long insert(Connection c, Execution run) throws SQLException {
    long seq;
    try (PreparedStatement s = c.prepareStatement("WITH r AS (INSERT INTO runs (run_id, task_id, task_type, record_us,"
        + " success, duration_s, duration_integer, report_path, hostname, extra_json, raw_json)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING"
        + " RETURNING seq, run_id, task_id, task_type, success),"
        + " c AS (INSERT INTO changes (kind, run_id, task_id, task_type, success)"
        + " SELECT 'R', run_id, task_id, task_type, success FROM r)"
        + " SELECT seq FROM r")) {
      s.setString(1, run.runId());
      s.setString(2, run.taskId());
      s.setString(3, run.taskType());
      s.setLong(4, run.recordTimeMicros());
      s.setBoolean(5, run.success());
      s.setDouble(6, run.executionTimeSeconds());
      s.setBoolean(7, run.integerExecutionTime());
      s.setString(8, run.reportPath());
      s.setString(9, run.hostname());
      setNullable(s, 10, JsonText.of(run.extraFields()));
      setNullable(s, 11, JsonText.ofStrings(run.rawValues()));
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return -1;
        }
        seq = r.getLong(1);
      }
    }
    insertFiles(c, seq, run, true);
    return seq;
  }

  /**
   * Inserts many runs in a few statements (an import): the runs whose ids are not taken, in the
   * given order (their {@code seq} follows it), with their change rows and file rows; a later copy
   * of an id in the list is skipped like a taken one. Task counters are left to the caller, who
   * adds each batch's counts once, last. Returns the runs inserted.
   */
  List<Execution> insertMany(Connection c, List<Execution> runs) throws SQLException {
    int n = runs.size();
    Object[][] cols = new Object[11][n];
    for (int i = 0; i < n; i++) {
      Execution run = runs.get(i);
      cols[0][i] = run.runId();
      cols[1][i] = run.taskId();
      cols[2][i] = run.taskType();
      cols[3][i] = run.recordTimeMicros();
      cols[4][i] = run.success();
      cols[5][i] = run.executionTimeSeconds();
      cols[6][i] = run.integerExecutionTime();
      cols[7][i] = run.reportPath();
      cols[8][i] = run.hostname();
      cols[9][i] = JsonText.of(run.extraFields());
      cols[10][i] = JsonText.ofStrings(run.rawValues());
    }
    Map<String, Long> seqs = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement("WITH r AS (INSERT INTO runs (run_id, task_id, task_type, record_us,"
        + " success, duration_s, duration_integer, report_path, hostname, extra_json, raw_json)"
        + " SELECT u.run_id, u.task_id, u.task_type, u.record_us, u.success, u.duration_s, u.duration_integer,"
        + " u.report_path, u.hostname, u.extra_json, u.raw_json FROM unnest(?::text[], ?::text[], ?::text[],"
        + " ?::bigint[], ?::boolean[], ?::float8[], ?::boolean[], ?::text[], ?::text[], ?::text[], ?::text[])"
        + " WITH ORDINALITY AS u (run_id, task_id, task_type, record_us, success, duration_s, duration_integer,"
        + " report_path, hostname, extra_json, raw_json, ord) ORDER BY u.ord"
        + " ON CONFLICT (run_id) DO NOTHING RETURNING seq, run_id, task_id, task_type, success),"
        + " c AS (INSERT INTO changes (kind, run_id, task_id, task_type, success)"
        + " SELECT 'R', run_id, task_id, task_type, success FROM r ORDER BY seq)"
        + " SELECT seq, run_id FROM r")) {
      String[] types = {"text", "text", "text", "bigint", "boolean", "float8", "boolean", "text", "text", "text", "text"};
      for (int k = 0; k < cols.length; k++) {
        s.setArray(k + 1, c.createArrayOf(types[k], cols[k]));
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          seqs.put(r.getString(2), r.getLong(1));
        }
      }
    }
    List<Execution> inserted = new ArrayList<>(seqs.size());
    List<Long> insertedSeqs = new ArrayList<>(seqs.size());
    for (Execution run : runs) {
      // A later copy of an id in the list finds its seq taken by the first copy.
      Long seq = seqs.remove(run.runId());
      if (seq != null) {
        inserted.add(run);
        insertedSeqs.add(seq);
      }
    }
    insertFilesOfMany(c, inserted, insertedSeqs);
    return inserted;
  }

  /** The file rows of many runs in two statements. */
  private void insertFilesOfMany(Connection c, List<Execution> runs, List<Long> seqs) throws SQLException {
    List<Object> inSeq = new ArrayList<>();
    List<Object> inOrd = new ArrayList<>();
    List<Object> inName = new ArrayList<>();
    List<Object> inPath = new ArrayList<>();
    List<Object> inKey = new ArrayList<>();
    List<Object> inExtra = new ArrayList<>();
    List<Object> inTask = new ArrayList<>();
    List<Object> inTime = new ArrayList<>();
    List<Object> outSeq = new ArrayList<>();
    List<Object> outOrd = new ArrayList<>();
    List<Object> outPath = new ArrayList<>();
    List<Object> outType = new ArrayList<>();
    List<Object> outDescription = new ArrayList<>();
    List<Object> outKey = new ArrayList<>();
    List<Object> outExtra = new ArrayList<>();
    List<Object> outTask = new ArrayList<>();
    List<Object> outTime = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      Execution run = runs.get(i);
      int ord = 0;
      for (InputFile f : run.inputFiles()) {
        inSeq.add(seqs.get(i));
        inOrd.add(ord++);
        inName.add(f.name());
        inPath.add(f.path());
        inKey.add(keyIfDifferent(f.path()));
        inExtra.add(JsonText.of(f.extraFields()));
        inTask.add(run.taskId());
        inTime.add(run.recordTimeMicros());
      }
      ord = 0;
      for (OutputFile f : run.outputFiles()) {
        outSeq.add(seqs.get(i));
        outOrd.add(ord++);
        outPath.add(f.path());
        outType.add(f.type());
        outDescription.add(f.description());
        outKey.add(keyIfDifferent(f.path()));
        outExtra.add(JsonText.of(f.extraFields()));
        outTask.add(run.taskId());
        outTime.add(run.recordTimeMicros());
      }
    }
    if (!inSeq.isEmpty()) {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO run_inputs (run_seq, ord, name, path, path_key,"
          + " extra_json, task_id, record_us) SELECT * FROM unnest(?::bigint[], ?::int[], ?::text[], ?::text[],"
          + " ?::text[], ?::text[], ?::text[], ?::bigint[])")) {
        bindArrays(c, s, new String[] {"bigint", "int4", "text", "text", "text", "text", "text", "bigint"},
            inSeq, inOrd, inName, inPath, inKey, inExtra, inTask, inTime);
        s.executeUpdate();
      }
    }
    if (!outSeq.isEmpty()) {
      try (PreparedStatement s = c.prepareStatement("INSERT INTO run_outputs (run_seq, ord, path, type, description,"
          + " path_key, extra_json, task_id, record_us) SELECT * FROM unnest(?::bigint[], ?::int[], ?::text[],"
          + " ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[])")) {
        bindArrays(c, s, new String[] {"bigint", "int4", "text", "text", "text", "text", "text", "text", "bigint"},
            outSeq, outOrd, outPath, outType, outDescription, outKey, outExtra, outTask, outTime);
        s.executeUpdate();
      }
    }
  }

  @SafeVarargs
  private static void bindArrays(Connection c, PreparedStatement s, String[] types, List<Object>... columns)
      throws SQLException {
    for (int k = 0; k < columns.length; k++) {
      s.setArray(k + 1, c.createArrayOf(types[k], columns[k].toArray()));
    }
  }

  /**
   * Rewrites a stored run (same id, same task): its columns, and its file rows when they or the
   * time changed. Returns false when no run has the id.
   */
  boolean replace(Connection c, Execution before, Execution after) throws SQLException {
    long seq;
    try (PreparedStatement s = c.prepareStatement("UPDATE runs SET task_type = ?, record_us = ?, success = ?,"
        + " duration_s = ?, duration_integer = ?, report_path = ?, hostname = ?, extra_json = ?, raw_json = ?"
        + " WHERE run_id = ? RETURNING seq")) {
      s.setString(1, after.taskType());
      s.setLong(2, after.recordTimeMicros());
      s.setBoolean(3, after.success());
      s.setDouble(4, after.executionTimeSeconds());
      s.setBoolean(5, after.integerExecutionTime());
      s.setString(6, after.reportPath());
      s.setString(7, after.hostname());
      setNullable(s, 8, JsonText.of(after.extraFields()));
      setNullable(s, 9, JsonText.ofStrings(after.rawValues()));
      s.setString(10, after.runId());
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return false;
        }
        seq = r.getLong(1);
      }
    }
    if (!before.inputFiles().equals(after.inputFiles()) || !before.outputFiles().equals(after.outputFiles())
        || before.recordTimeMicros() != after.recordTimeMicros()) {
      try (PreparedStatement s = c.prepareStatement("WITH i AS (DELETE FROM run_inputs WHERE run_seq = ?)"
          + " DELETE FROM run_outputs WHERE run_seq = ?")) {
        s.setLong(1, seq);
        s.setLong(2, seq);
        s.executeUpdate();
      }
      insertFiles(c, seq, after, false);
    }
    return true;
  }

  /** The run's file rows, and with {@code countTask} one more run on its task's counter, last. */
  private void insertFiles(Connection c, long seq, Execution run, boolean countTask) throws SQLException {
    List<InputFile> in = run.inputFiles();
    List<OutputFile> out = run.outputFiles();
    try (PreparedStatement s = c.prepareStatement("WITH i AS (INSERT INTO run_inputs (run_seq, ord, name, path,"
        + " path_key, extra_json, task_id, record_us) SELECT ?, u.ord - 1, u.name, u.path, u.path_key, u.extra_json,"
        + " ?, ? FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY"
        + " AS u (name, path, path_key, extra_json, ord)),"
        + " o AS (INSERT INTO run_outputs (run_seq, ord, path, type, description, path_key, extra_json, task_id,"
        + " record_us) SELECT ?, u.ord - 1, u.path, u.type, u.description, u.path_key, u.extra_json, ?, ?"
        + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY"
        + " AS u (path, type, description, path_key, extra_json, ord))"
        // The counter last: the one row that writers of the task share is held for the least time.
        + (countTask ? " INSERT INTO tasks (task_id, run_count) VALUES (?, 1)"
            + " ON CONFLICT (task_id) DO UPDATE SET run_count = tasks.run_count + 1" : " SELECT ?"))) {
      int i = 1;
      s.setLong(i++, seq);
      s.setString(i++, run.taskId());
      s.setLong(i++, run.recordTimeMicros());
      s.setArray(i++, texts(c, in.stream().map(InputFile::name).toList()));
      s.setArray(i++, texts(c, in.stream().map(InputFile::path).toList()));
      s.setArray(i++, texts(c, in.stream().map(f -> keyIfDifferent(f.path())).toList()));
      s.setArray(i++, texts(c, in.stream().map(f -> JsonText.of(f.extraFields())).toList()));
      s.setLong(i++, seq);
      s.setString(i++, run.taskId());
      s.setLong(i++, run.recordTimeMicros());
      s.setArray(i++, texts(c, out.stream().map(OutputFile::path).toList()));
      s.setArray(i++, texts(c, out.stream().map(OutputFile::type).toList()));
      s.setArray(i++, texts(c, out.stream().map(OutputFile::description).toList()));
      s.setArray(i++, texts(c, out.stream().map(f -> keyIfDifferent(f.path())).toList()));
      s.setArray(i++, texts(c, out.stream().map(f -> JsonText.of(f.extraFields())).toList()));
      s.setString(i, run.taskId());
      s.execute();
    }
  }

  private static Array texts(Connection c, List<String> values) throws SQLException {
    return c.createArrayOf("text", values.toArray());
  }

  private String keyIfDifferent(String path) {
    String key = pathKey.apply(path);
    return key.equals(path) ? null : key;
  }

  private static void setNullable(PreparedStatement s, int index, String value) throws SQLException {
    if (value == null) {
      s.setNull(index, Types.VARCHAR);
    } else {
      s.setString(index, value);
    }
  }

  /** Reads more columns of the same result row. */
  interface Extra {
    void read(ResultSet r) throws SQLException;
  }

  /** The rows of a query that selects {@link #COLUMNS} first, in its order. */
  static List<Row> readRows(PreparedStatement s) throws SQLException {
    return readRows(s, r -> { });
  }

  /** The rows of a query that selects {@link #COLUMNS} first; {@code extra} reads what follows them. */
  static List<Row> readRows(PreparedStatement s, Extra extra) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (ResultSet r = s.executeQuery()) {
      while (r.next()) {
        Execution.Builder b = Execution.builder(r.getString(2), r.getString(3))
            .taskType(r.getString(4))
            .recordTimeMicros(r.getLong(5))
            .success(r.getBoolean(6))
            .executionTime(r.getDouble(7), r.getBoolean(8))
            .reportPath(r.getString(9))
            .hostname(r.getString(10))
            .extraFields(JsonText.read(r.getString(11)))
            .rawValues(JsonText.readStrings(r.getString(12)));
        rows.add(new Row(r.getLong(1), b));
        extra.read(r);
      }
    }
    return rows;
  }

  /** The runs of the rows with their files, in the rows' order. */
  static List<Execution> withFiles(Connection c, List<Row> rows) throws SQLException {
    if (rows.isEmpty()) {
      return List.of();
    }
    Long[] seqs = rows.stream().map(Row::seq).toArray(Long[]::new);
    Map<Long, List<InputFile>> inputs = new HashMap<>();
    Map<Long, List<OutputFile>> outputs = new HashMap<>();
    Array array = c.createArrayOf("bigint", seqs);
    try (PreparedStatement s = c.prepareStatement("SELECT run_seq, name, path, extra_json FROM run_inputs"
        + " WHERE run_seq = ANY (?) ORDER BY run_seq, ord")) {
      s.setArray(1, array);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          inputs.computeIfAbsent(r.getLong(1), k -> new ArrayList<>())
              .add(new InputFile(r.getString(2), r.getString(3), JsonText.read(r.getString(4))));
        }
      }
    }
    try (PreparedStatement s = c.prepareStatement("SELECT run_seq, path, type, description, extra_json FROM run_outputs"
        + " WHERE run_seq = ANY (?) ORDER BY run_seq, ord")) {
      s.setArray(1, array);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          outputs.computeIfAbsent(r.getLong(1), k -> new ArrayList<>()).add(
              new OutputFile(r.getString(2), r.getString(3), r.getString(4), JsonText.read(r.getString(5))));
        }
      }
    }
    List<Execution> runs = new ArrayList<>(rows.size());
    for (Row row : rows) {
      runs.add(row.run()
          .inputFiles(inputs.getOrDefault(row.seq(), List.of()))
          .outputFiles(outputs.getOrDefault(row.seq(), List.of()))
          .build());
    }
    return runs;
  }

  /** Runs by id, with their files: a map from id to run, in the order of {@code seq}. */
  static Map<String, Execution> byIds(Connection c, String[] runIds, boolean lock) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM runs WHERE run_id = ANY (?)"
        + " ORDER BY seq" + (lock ? " FOR UPDATE" : ""))) {
      s.setArray(1, c.createArrayOf("text", runIds));
      List<Row> rows = readRows(s);
      Map<String, Execution> runs = new LinkedHashMap<>();
      for (Execution run : withFiles(c, rows)) {
        runs.put(run.runId(), run);
      }
      return runs;
    }
  }
}
