package dev.execlog.server.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import dev.execlog.server.json.Interner;
import dev.execlog.server.json.JsonValues;
import dev.execlog.server.json.LogFileCodec;
import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import dev.execlog.server.model.TaskSummary;
import dev.execlog.server.store.RecordOutcome;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The write path and point reads of the PostgreSQL store, against a real PostgreSQL. */
class PostgresRunsTest {

  private static HikariDataSource pool;
  private static PostgresRuns runs;

  @BeforeAll
  static void migratedDatabase() {
    String db = SharedPostgres.newDatabase("runs");
    pool = SharedPostgres.pool(db, 4);
    new PostgresSchema(pool, db).migrate(Path.of("/srv/project"));
    // A stand-in for PathPolicy::indexKey: "./" segments go.
    runs = new PostgresRuns(pool, p -> p.replace("/./", "/"));
  }

  @AfterAll
  static void close() {
    pool.close();
  }

  @BeforeEach
  void empty() throws SQLException {
    sql("TRUNCATE runs, tasks, changes CASCADE");
  }

  private static List<String> sql(String query) throws SQLException {
    return SharedPostgres.sql(pool, query);
  }

  private static Execution run(String id, String task, long micros, boolean success) {
    return Execution.builder(id, task).taskType("transform").recordTimeMicros(micros).success(success)
        .executionTime(2.5, false).reportPath("reports/" + id + ".html").hostname("worker-1")
        .inputFiles(List.of(new InputFile("raw.csv", "data/raw.csv")))
        .outputFiles(List.of(new OutputFile("data/" + id + ".parquet", "parquet", "")))
        .build();
  }

  /** A run with every field the file format can carry, in their less common forms. */
  private static Execution richRun() {
    Map<String, JsonNode> extras = new LinkedHashMap<>();
    extras.put("zeta", JsonValues.parse("1.50", "x"));
    extras.put("alpha", JsonValues.parse("{\"b\": [1, 2e400, null], \"a\": \"\\u0000 ünï 😀\"}", "x"));
    extras.put("nan", JsonValues.parse("NaN", "x"));
    extras.put("big", JsonValues.parse("123456789012345678901234567890", "x"));
    return Execution.builder("8e0ec1e6-1b9f-4f4e-9d4a-6a1f3f0c2a11", "t_1I").taskType("étape ✓")
        .recordTimeMicros(1_733_500_000_123_456L).success(false).executionTime(3, true)
        .reportPath("reports/r.html").hostname("hôte")
        .inputFiles(List.of(new InputFile("a", "data/./a.csv", Map.of("added_at", JsonValues.parse("\"2024-01-01T10:00:00\"", "x"))),
            new InputFile("b", "data/b.csv")))
        .outputFiles(List.of(new OutputFile("out/x.parquet", "parquet", "line one\nline two"),
            new OutputFile("out/./y", "", "", Map.of("n", JsonValues.parse("-0", "x")))))
        .extraFields(extras)
        .rawValues(Map.of("success", "null", "execution_time", Execution.ABSENT))
        .build();
  }

  @Test
  void record_thenGet_returnsTheRunFieldForField() throws SQLException {
    Execution rich = richRun();
    RecordOutcome outcome = runs.record(rich, true, true);
    assertEquals(new RecordOutcome(rich, false), outcome);
    Execution stored = runs.get(rich.runId());
    assertEquals(rich, stored);
    assertEquals(List.copyOf(rich.extraFields().keySet()), List.copyOf(stored.extraFields().keySet()), "key order");
    assertEquals("{\"b\":[1,2e400,null],\"a\":\"\\u0000 ünï 😀\"}", JsonValues.text(stored.extraFields().get("alpha")));
    assertEquals(List.of("data/a.csv"), sql("SELECT path_key FROM run_inputs WHERE path_key IS NOT NULL"),
        "a path indexed under another key keeps its text and gets the key");
    assertEquals(List.of("t_1I|1"), sql("SELECT task_id, run_count FROM tasks"));
    assertEquals(List.of("R|8e0ec1e6-1b9f-4f4e-9d4a-6a1f3f0c2a11|t_1I|f|null"),
        sql("SELECT kind, run_id, task_id, success, coalesce(run_json, 'null') FROM changes"));
    assertNull(runs.get("no-such-run"));
  }

  @Test
  void record_textHoldingNul_isRefusedAsInvalidAndChangesNothing() throws SQLException {
    Execution nul = run("n1", "t_a", 1_000, true).toBuilder().taskType("trans\u0000form").build();
    ExecLogException e = assertThrows(ExecLogException.class, () -> runs.record(nul, true, true));
    assertEquals(ErrorReason.INVALID_FIELD, e.reason());
    assertTrue(e.getMessage().contains("U+0000"), e.getMessage());
    assertEquals(List.of("0"), sql("SELECT count(*) FROM runs"));
  }

  @Test
  void record_retrySameContent_returnsTheStoredRunOnce() throws SQLException {
    Execution first = run("r1", "t_a", 1_000_000, true);
    runs.record(first, true, true);
    // A retry that left time and host to the server: those differ and do not count.
    Execution retry = first.toBuilder().recordTimeMicros(9_000_000).hostname("other").build();
    RecordOutcome again = runs.record(retry, false, false);
    assertTrue(again.alreadyRecorded());
    assertEquals(first, again.execution(), "the stored run, not the retry's");
    assertEquals(List.of("1"), sql("SELECT count(*) FROM runs"));
    assertEquals(List.of("t_a|1"), sql("SELECT task_id, run_count FROM tasks"));
    assertEquals(List.of("1"), sql("SELECT count(*) FROM changes"), "a retry is no change");
  }

  @Test
  void record_sameIdOtherContent_isRunIdTaken_andChangesNothing() throws SQLException {
    Execution first = run("r1", "t_a", 1_000_000, true);
    runs.record(first, true, true);
    ExecLogException e = assertThrows(ExecLogException.class,
        () -> runs.record(first.toBuilder().success(false).build(), true, true));
    assertEquals(ErrorReason.RUN_ID_TAKEN, e.reason());
    assertEquals(Map.of("field", "execution.run_id", "run_id", "r1"), e.metadata());
    ExecLogException timed = assertThrows(ExecLogException.class,
        () -> runs.record(first.toBuilder().recordTimeMicros(2_000_000).build(), true, true));
    assertEquals(ErrorReason.RUN_ID_TAKEN, timed.reason(), "a time the client gave takes part");
    assertEquals(first, runs.get("r1"));
    assertEquals(List.of("1"), sql("SELECT count(*) FROM changes"));
  }

  @Test
  void latest_newestByTimeThenByOrderOfRecording_successOnlySkipsFailures() {
    runs.record(run("old", "t_a", 1_000, true), true, true);
    runs.record(run("tie-1", "t_a", 5_000, true), true, true);
    runs.record(run("tie-2", "t_a", 5_000, true), true, true);
    runs.record(run("failed", "t_a", 9_000, false), true, true);
    runs.record(run("backdated", "t_a", 2_000, true), true, true);
    runs.record(run("other", "t_b", 99_000, true), true, true);
    assertEquals("failed", runs.latest("t_a", false).runId());
    assertEquals("tie-2", runs.latest("t_a", true).runId(), "equal times: the later recorded is newer");
    assertEquals(run("tie-2", "t_a", 5_000, true), runs.latest("t_a", true), "with its files");
    assertNull(runs.latest("t_none", false));
  }

  @Test
  void summaries_pageByTaskIdInCodePointOrder_withCountsAndNewestRun() {
    runs.record(run("1", "t_b", 1_000, true), true, true);
    runs.record(run("2", "t_b", 3_000, false), true, true);
    runs.record(run("3", "T_z", 2_000, true), true, true);
    runs.record(run("4", "t_a", 2_000, true), true, true);
    runs.record(run("5", "été", 2_000, true), true, true);
    List<TaskSummary> all = runs.summaries(null, 10);
    assertEquals(List.of("T_z", "t_a", "t_b", "été"), all.stream().map(TaskSummary::taskId).toList());
    assertEquals(new TaskSummary(run("2", "t_b", 3_000, false), 2), all.get(2));
    assertEquals(List.of("t_b", "été"), runs.summaries("t_a", 10).stream().map(TaskSummary::taskId).toList());
    assertEquals(List.of("T_z"), runs.summaries(null, 1).stream().map(TaskSummary::taskId).toList());
    assertEquals(new TaskSummary(run("4", "t_a", 2_000, true), 1), runs.summary("t_a"));
    assertNull(runs.summary("t_none"));
  }

  @Test
  void delete_returnsTheRunAsItWas_countsDown_andRecordsTheChange() throws Exception {
    Execution rich = richRun();
    runs.record(rich, true, true);
    Execution other = run("r2", "t_1I", 5, true);
    runs.record(other, true, true);
    assertEquals(rich, runs.delete(rich.runId()));
    assertNull(runs.get(rich.runId()));
    assertEquals(List.of("0", "0"), List.of(sql("SELECT count(*) FROM run_inputs WHERE run_seq NOT IN"
        + " (SELECT seq FROM runs)").get(0), sql("SELECT count(*) FROM run_outputs WHERE path LIKE 'out/%'").get(0)));
    assertEquals(List.of("t_1I|1"), sql("SELECT task_id, run_count FROM tasks"));
    String removed = sql("SELECT run_json FROM changes WHERE kind = 'D'").get(0);
    LogFileCodec utc = new LogFileCodec(new Timestamps(ZoneOffset.UTC), new Interner());
    assertEquals(rich.toBuilder().build().runId(), utc.readRun(removed).runId());
    assertEquals(rich.inputFiles(), utc.readRun(removed).inputFiles(), "the change row holds the run as it was");
    ExecLogException e = assertThrows(ExecLogException.class, () -> runs.delete(rich.runId()));
    assertEquals(ErrorReason.RUN_NOT_FOUND, e.reason());
    runs.delete("r2");
    assertEquals(List.of(), sql("SELECT task_id FROM tasks"), "a task without runs has no row");
    assertEquals(List.of("R", "R", "D", "D"), sql("SELECT kind FROM changes ORDER BY change_id"));
  }

  @Test
  void deleteAll_removesTheRunsThatExist_inOneTransaction() throws SQLException {
    for (int i = 0; i < 6; i++) {
      runs.record(run("r" + i, i % 2 == 0 ? "t_even" : "t_odd", i, true), true, true);
    }
    assertEquals(List.of("r4", "r1", "r2"), runs.deleteAll(List.of("r4", "nope", "r1", "r2", "r4")));
    assertEquals(List.of("t_even|1", "t_odd|2"), sql("SELECT task_id, run_count FROM tasks ORDER BY task_id"));
    assertEquals(List.of("r0", "r3", "r5"), sql("SELECT run_id FROM runs ORDER BY seq"));
    assertEquals(List.of(), runs.deleteAll(List.of("nope")));
    assertFalse(sql("SELECT count(*) FROM changes WHERE kind = 'D'").contains("0"));
  }

  @Test
  void update_rewritesFieldsAndFiles_withAnUpdatedChange() throws SQLException {
    Execution rich = richRun();
    runs.record(rich, true, true);
    Execution changed = rich.toBuilder().success(true).recordTimeMicros(5_000_000).rawValues(Map.of())
        .outputFiles(List.of(new OutputFile("out/z.csv", "csv", "")))
        .build();
    assertEquals(changed, runs.update(rich.runId(), "execution.run_id", run -> changed));
    assertEquals(changed, runs.get(rich.runId()));
    assertEquals(List.of("5000000|5000000"), sql("SELECT (SELECT string_agg(DISTINCT record_us::text, ',') FROM"
        + " run_inputs), (SELECT string_agg(DISTINCT record_us::text, ',') FROM run_outputs)"),
        "the file rows follow the run's time");
    assertEquals(List.of("R", "U"), sql("SELECT kind FROM changes ORDER BY change_id"));
    assertEquals(changed, runs.update(rich.runId(), "execution.run_id", run -> run), "a no-op");
    assertEquals(List.of("2"), sql("SELECT count(*) FROM changes"), "a change that changes nothing writes nothing");
    assertEquals(List.of("t_1I|1"), sql("SELECT task_id, run_count FROM tasks"));
    ExecLogException e = assertThrows(ExecLogException.class, () -> runs.update("nope", "execution.run_id", r -> r));
    assertEquals(ErrorReason.RUN_NOT_FOUND, e.reason());
    assertEquals("execution.run_id", e.field());
  }

  @Test
  void updateLatest_changesTheTasksNewestRun() {
    runs.record(run("older", "t_a", 1_000, true), true, true);
    runs.record(run("newest", "t_a", 2_000, false), true, true);
    Execution tracked = runs.updateLatest("t_a", run -> run.withInputFiles(List.of(new InputFile("n", "data/n.csv"))));
    assertEquals("newest", tracked.runId());
    assertEquals(tracked, runs.get("newest"));
    assertEquals(run("older", "t_a", 1_000, true), runs.get("older"));
    ExecLogException e = assertThrows(ExecLogException.class, () -> runs.updateLatest("t_none", r -> r));
    assertEquals(ErrorReason.TASK_HAS_NO_RUN, e.reason());
  }
}
