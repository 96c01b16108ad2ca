package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.Duration;
import com.google.protobuf.FieldMask;
import dev.execlog.v1.DeleteExecutionRequest;
import dev.execlog.v1.Execution;
import dev.execlog.v1.ExportFormat;
import dev.execlog.v1.GetExecutionRequest;
import dev.execlog.v1.ImportMode;
import dev.execlog.v1.ImportOptions;
import dev.execlog.v1.InputFile;
import dev.execlog.v1.ListExecutionsRequest;
import dev.execlog.v1.TrackInputFilesRequest;
import dev.execlog.v1.TrackOutputFilesRequest;
import dev.execlog.v1.UpdateExecutionRequest;
import dev.execlog.v1.ValidateLogRequest;
import dev.execlog.v1.ValidationResult;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Behaviours users of the reference library depend on: its CSV, keys it lets callers add, logs it
 * accepts, duplicate records it keeps, integer durations, empty task types, and moving a log
 * between projects. Each test reads the log file itself where the file is what users see.
 */
class LibraryFidelityTest {

  /** Reads the file as Python's json module would: NaN is a number. */
  private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  private void startWithLog(String executions) throws Exception {
    server.stop();
    Files.createDirectories(server.logFile().getParent());
    Files.writeString(server.logFile(), "{\"tasks\": {}, \"executions\": [" + executions + "],"
        + " \"timestamp\": \"2025-05-01T12:00:00\", \"version\": \"1.0.0\"}");
    server.start();
  }

  private JsonNode fileRuns() throws Exception {
    server.server().store().flush();
    return JSON.readTree(server.logFile().toFile()).get("executions");
  }

  private JsonNode fileRun(String runId) throws Exception {
    for (JsonNode run : fileRuns()) {
      if (run.get("task_run_id").asText().equals(runId)) {
        return run;
      }
    }
    throw new AssertionError("no run " + runId + " in the file");
  }

  private Execution get(String runId) {
    return server.stub().getExecution(GetExecutionRequest.newBuilder().setRunId(runId).build()).getExecution();
  }

  private List<Execution> history() {
    return server.stub().listExecutions(ListExecutionsRequest.newBuilder().setPageSize(1000).build())
        .getExecutionsList();
  }

  private ValidationResult validate() {
    ValidationResult result = null;
    for (var it = server.stub().validateLog(ValidateLogRequest.getDefaultInstance()); it.hasNext(); ) {
      var m = it.next();
      if (m.hasResult()) {
        result = m.getResult();
      }
    }
    return result;
  }

  private static String entry(String id, String task, String fields) {
    return "{\"task_id\": \"" + task + "\", \"task_type\": \"x\", \"task_run_id\": \"" + id + "\","
        + " \"timestamp\": \"2025-05-01T12:00:00\"" + fields + "}";
  }

  // ------------------------------------------------------------------ CSV

  @JsonFileOnly
  @Test
  void csvExport_hasTheLibrarysColumnsAndSpellsValuesAsPythonDoes() throws Exception {
    startWithLog(entry("11111111-1111-1111-1111-111111111111", "t_int",
        ", \"success\": true, \"execution_time\": 241, \"report_path\": \"r.json\", \"input_files\": [{\"name\": \"a\","
            + " \"path\": \"a.csv\"}], \"output_files\": [], \"hostname\": \"h1\"")
        + "," + entry("22222222-2222-2222-2222-222222222222", "t_odd", ", \"success\": null, \"execution_time\": \"12.5\""));
    server.stub().recordExecution(record(run("t_float").setTaskType("profiling")
        .setRunId("33333333-3333-3333-3333-333333333333").setHostname("h2")
        .setDuration(Duration.newBuilder().setSeconds(45).setNanos(200_000_000))
        .setSuccess(false).setReportPath("")));

    String[] lines = StreamCalls.export(server.stub(), ExportFormat.EXPORT_FORMAT_CSV).text().split("\r\n");

    assertEquals("task_id,task_type,task_run_id,timestamp,success,execution_time,report_path,input_files_count,"
        + "output_files_count,hostname", lines[0]);
    String stamp = get("11111111-1111-1111-1111-111111111111").getRecordTime().getSeconds() > 0
        ? fileRun("11111111-1111-1111-1111-111111111111").get("timestamp").asText() : "";
    assertEquals("t_int,x,11111111-1111-1111-1111-111111111111," + stamp + ",True,241,r.json,1,0,h1", lines[1]);
    assertTrue(lines[2].matches("t_odd,x,2222.*,,12\\.5,,0,0,"), "null success is empty, the string as written: "
        + lines[2]);
    assertTrue(lines[3].matches("t_float,profiling,3333[^,]*,[^,]+,False,45\\.2,,0,0,h2"), lines[3]);
    assertEquals(4, lines.length);
  }

  @Test
  void csvWithFiles_isStillThereByName() {
    server.stub().recordExecution(record(Runs.withFiles(run("t_f"), "in/a.csv", "out/b.csv")));
    String csv = StreamCalls.export(server.stub(), ExportFormat.EXPORT_FORMAT_CSV_WITH_FILES).text();
    assertTrue(csv.startsWith("task_run_id,task_id,task_type,timestamp,success,execution_time,report_path,hostname,"
        + "input_files,output_files\r\n"), csv);
    assertTrue(csv.contains(",in=in/a.csv,out/b.csv\r\n"), csv);
  }

  // ------------------------------------------------------------------ extra keys

  @JsonFileOnly
  @Test
  void extraKeys_areRecordedReturnedUpdatedAndKeptExactlyInTheFile() throws Exception {
    Execution recorded = server.stub().recordExecution(record(run("t_x")
        .putExtraFields("notes", "\"first try\"")
        .putExtraFields("metrics", "{\"rows\": 100, \"ratio\": 0.300000000000000, \"big\": 12345678901234567890}")))
        .getExecution();
    String id = recorded.getRunId();
    assertEquals("\"first try\"", recorded.getExtraFieldsOrThrow("notes"));

    server.stub().updateExecution(UpdateExecutionRequest.newBuilder()
        .setExecution(Execution.newBuilder().setRunId(id).putExtraFields("notes", "\"reviewed\"")
            .putExtraFields("a.b", "[1, 2]").putExtraFields("operator", "\"ana\""))
        .setUpdateMask(FieldMask.newBuilder().addPaths("extra_fields.notes").addPaths("extra_fields.`a.b`")
            .addPaths("extra_fields.tags"))
        .build());

    Execution updated = get(id);
    assertEquals(Map.of("notes", "\"reviewed\"", "a.b", "[1,2]",
        "metrics", "{\"rows\":100,\"ratio\":0.300000000000000,\"big\":12345678901234567890}"), updated.getExtraFieldsMap(),
        "only the named keys change; operator was not named, tags was named and absent");
    assertEquals(updated, history().get(0));

    server.restart();
    JsonNode file = fileRun(id);
    assertEquals("reviewed", file.get("notes").asText());
    String text = Files.readString(server.logFile());
    assertTrue(text.contains("\"ratio\": 0.300000000000000"), text);
    assertTrue(text.contains("\"big\": 12345678901234567890"), text);
    assertEquals(updated, get(id), "the same after a restart");

    server.stub().updateExecution(UpdateExecutionRequest.newBuilder()
        .setExecution(Execution.newBuilder().setRunId(id))
        .setUpdateMask(FieldMask.newBuilder().addPaths("extra_fields.notes")).build());
    assertFalse(get(id).containsExtraFields("notes"), "a named key absent from the request is removed");
  }

  @JsonFileOnly
  @Test
  void extraKeysInAFileWrittenByTheLibrary_areReturnedAndKeptInFileEntries() throws Exception {
    startWithLog(entry("44444444-4444-4444-4444-444444444444", "t_lib", ", \"success\": true, \"execution_time\": 1.5,"
        + " \"input_files\": [{\"path\": \"in/a.csv\", \"added_at\": \"2025-05-01T12:00:01.123456\"}],"
        + " \"output_files\": [], \"hostname\": \"h\", \"notes\": \"by hand\""));
    Execution run = get("44444444-4444-4444-4444-444444444444");
    assertEquals("\"by hand\"", run.getExtraFieldsOrThrow("notes"));
    assertEquals("\"2025-05-01T12:00:01.123456\"", run.getInputFiles(0).getExtraFieldsOrThrow("added_at"));
    assertEquals("", run.getInputFiles(0).getName(), "the library's tracked inputs have no name");

    server.restart();
    JsonNode input = fileRun("44444444-4444-4444-4444-444444444444").get("input_files").get(0);
    assertEquals("{\"path\":\"in/a.csv\",\"added_at\":\"2025-05-01T12:00:01.123456\"}", input.toString());
  }

  @JsonFileOnly
  @Test
  void trackFiles_writesAddedAtAsTheLibraryDoes_andTrackingAgainWritesNothing() throws Exception {
    String id = server.stub().recordExecution(record(run("t_track"))).getExecution().getRunId();
    Execution tracked = server.stub().trackInputFiles(TrackInputFilesRequest.newBuilder().setTaskId("t_track")
        .addPaths("in/a.csv").build()).getExecution();
    server.stub().trackOutputFiles(TrackOutputFilesRequest.newBuilder().setTaskId("t_track")
        .addPaths("out/b.json").build());

    String addedAt = JSON.readTree(tracked.getInputFiles(0).getExtraFieldsOrThrow("added_at")).asText();
    LocalDateTime.parse(addedAt); // zone-less local time, as datetime.now().isoformat() writes it
    JsonNode output = fileRun(id).get("output_files").get(0);
    assertEquals("json", output.get("type").asText());
    assertTrue(output.has("added_at"), output.toString());

    long journalBefore = JournalFiles.bytes(server.logFile());
    server.stub().trackInputFiles(TrackInputFilesRequest.newBuilder().setTaskId("t_track").addPaths("in/a.csv").build());
    assertEquals(journalBefore, JournalFiles.bytes(server.logFile()), "tracking a file the run lists already writes nothing");
  }

  // ------------------------------------------------------------------ logs the library accepts

  @JsonFileOnly
  @Test
  void oddValuesTheLibraryAccepts_loadAreReadSensiblyReportedAndKeptUntilTheRunChanges() throws Exception {
    startWithLog(String.join(",",
        entry("a0000000-0000-0000-0000-000000000001", "t_odd", ", \"success\": null, \"execution_time\": 3"),
        entry("a0000000-0000-0000-0000-000000000002", "t_odd", ", \"success\": 1, \"execution_time\": \"12.5\""),
        entry("a0000000-0000-0000-0000-000000000003", "t_odd", ", \"success\": \"true\", \"execution_time\": NaN"),
        entry("a0000000-0000-0000-0000-000000000004", "t_odd", ", \"success\": 0")));

    assertFalse(get("a0000000-0000-0000-0000-000000000001").getSuccess());
    assertTrue(get("a0000000-0000-0000-0000-000000000002").getSuccess());
    assertEquals(12, get("a0000000-0000-0000-0000-000000000002").getDuration().getSeconds());
    assertTrue(get("a0000000-0000-0000-0000-000000000003").getSuccess());
    assertEquals(Duration.getDefaultInstance(), get("a0000000-0000-0000-0000-000000000003").getDuration());
    assertTrue(get("a0000000-0000-0000-0000-000000000001").getIntegerExecutionTime());

    Set<String> reported = validate().getProblemsList().stream()
        .map(p -> p.getRunId().substring(35) + ":" + p.getField()).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(List.of("1:success", "2:success", "2:execution_time", "3:success", "3:execution_time",
        "4:success", "4:execution_time", "1:report_path", "2:report_path", "3:report_path", "4:report_path",
        "1:input_files", "2:input_files", "3:input_files", "4:input_files", "1:output_files", "2:output_files",
        "3:output_files", "4:output_files", "1:hostname", "2:hostname", "3:hostname", "4:hostname")), reported);

    server.stub().recordExecution(record(run("t_other"))); // a write, so the file is rewritten
    server.restart();
    String file = Files.readString(server.logFile());
    assertTrue(file.contains("\"success\": null"), file);
    assertTrue(file.contains("\"execution_time\": \"12.5\""), file);
    assertTrue(file.contains("\"execution_time\": NaN"), file);
    assertFalse(fileRun("a0000000-0000-0000-0000-000000000004").has("report_path"), "a missing key stays missing");

    server.stub().updateExecution(UpdateExecutionRequest.newBuilder()
        .setExecution(Execution.newBuilder().setRunId("a0000000-0000-0000-0000-000000000002").setHostname("h"))
        .setUpdateMask(FieldMask.newBuilder().addPaths("hostname")).build());
    JsonNode changed = fileRun("a0000000-0000-0000-0000-000000000002");
    assertTrue(changed.get("success").isBoolean(), "a changed run is written in the spec's form: " + changed);
    assertEquals(12.5, changed.get("execution_time").asDouble());
  }

  // ------------------------------------------------------------------ duplicates

  @JsonFileOnly
  @Test
  void duplicateRunIdsInTheFile_bothStayThroughRestarts_andByIdOperationsActOnTheFirstCopy() throws Exception {
    String id = "b0000000-0000-0000-0000-000000000001";
    startWithLog(entry(id, "t_first", ", \"success\": true") + "," + entry(id, "t_second", ", \"success\": false"));

    assertEquals(2, history().size());
    assertEquals("t_first", get(id).getTaskId());
    assertTrue(validate().getProblemsList().stream().anyMatch(p -> p.getRunId().equals(id)
        && p.getField().equals("task_run_id")));

    server.stub().recordExecution(record(run("t_other")));
    server.restart();
    server.restart();
    assertEquals(2, fileRunsWith(id), "both copies survive restarts and folds");
    assertEquals(3, history().size());

    server.stub().updateExecution(UpdateExecutionRequest.newBuilder()
        .setExecution(Execution.newBuilder().setRunId(id).setHostname("changed"))
        .setUpdateMask(FieldMask.newBuilder().addPaths("hostname")).build());
    assertEquals("t_first", get(id).getTaskId());
    assertEquals("changed", fileRun(id).get("hostname").asText(), "the first copy in the file changed");

    server.stub().deleteExecution(DeleteExecutionRequest.newBuilder().setRunId(id).build());
    assertEquals("t_second", get(id).getTaskId(), "removing the first copy brings the second forward");
    server.restart();
    assertEquals(1, fileRunsWith(id));
    assertEquals("t_second", get(id).getTaskId());
  }

  private int fileRunsWith(String id) throws Exception {
    int n = 0;
    for (JsonNode run : fileRuns()) {
      n += run.get("task_run_id").asText().equals(id) ? 1 : 0;
    }
    return n;
  }

  // ------------------------------------------------------------------ what the library's callers send

  @JsonFileOnly
  @Test
  void integerExecutionTime_andEmptyTaskType_roundTripThroughTheFile() throws Exception {
    String id = server.stub().recordExecution(record(run("t_int").setTaskType("")
        .setDuration(Duration.newBuilder().setSeconds(241)).setIntegerExecutionTime(true))).getExecution().getRunId();
    String other = server.stub().recordExecution(record(run("t_float")
        .setDuration(Duration.newBuilder().setSeconds(120)))).getExecution().getRunId();

    server.restart();
    assertTrue(Files.readString(server.logFile()).contains("\"execution_time\": 241,"));
    assertEquals("120.0", fileRun(other).get("execution_time").toString());
    Execution run = get(id);
    assertTrue(run.getIntegerExecutionTime());
    assertEquals("", run.getTaskType());
    assertFalse(get(other).getIntegerExecutionTime());
  }

  // ------------------------------------------------------------------ moving a log between projects

  @Test
  void importWithSourceRoot_rebasesAbsolutePathsFromAnotherProject() throws Exception {
    String log = "{\"tasks\": {}, \"executions\": [" + entry("c0000000-0000-0000-0000-000000000001", "t_moved",
        ", \"success\": true, \"execution_time\": 1, \"report_path\": \"/old/project/DATA/reports/r.json\","
            + " \"input_files\": [{\"name\": \"raw\", \"path\": \"/old/project/DATA/raw.csv\"}],"
            + " \"output_files\": [{\"path\": \"/old/project/DATA/out.csv\", \"type\": \"csv\", \"description\": \"\"}]")
        + "]}";
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
        () -> StreamCalls.importLog(server.asyncStub(), log, ImportMode.IMPORT_MODE_MERGE));
    assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode());
    StatusRuntimeException relative = assertThrows(StatusRuntimeException.class,
        () -> StreamCalls.importLog(server.asyncStub(), log, ImportOptions.newBuilder()
            .setMode(ImportMode.IMPORT_MODE_MERGE).setSourceRoot("old/project").build()));
    assertTrue(relative.getStatus().getDescription().contains("options.source_root"));

    StreamCalls.importLog(server.asyncStub(), log, ImportOptions.newBuilder()
        .setMode(ImportMode.IMPORT_MODE_MERGE).setSourceRoot("/old/project/").build());

    Execution moved = get("c0000000-0000-0000-0000-000000000001");
    assertEquals("DATA/reports/r.json", moved.getReportPath());
    assertEquals(InputFile.newBuilder().setName("raw").setPath("DATA/raw.csv").build(), moved.getInputFiles(0));
    assertEquals("DATA/out.csv", moved.getOutputFiles(0).getPath());
  }
}
