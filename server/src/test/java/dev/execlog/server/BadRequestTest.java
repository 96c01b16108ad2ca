package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Duration;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import com.google.rpc.BadRequest;
import dev.execlog.server.ops.Limits;
import dev.execlog.v1.CheckDependenciesRequest;
import dev.execlog.v1.CleanupExecutionsRequest;
import dev.execlog.v1.DeleteExecutionRequest;
import dev.execlog.v1.Execution;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub;
import dev.execlog.v1.FindOutputProducerRequest;
import dev.execlog.v1.GetExecutionRequest;
import dev.execlog.v1.GetLatestExecutionRequest;
import dev.execlog.v1.GetLogInfoRequest;
import dev.execlog.v1.ImportMode;
import dev.execlog.v1.InputFile;
import dev.execlog.v1.ListExecutionsRequest;
import dev.execlog.v1.ListTasksRequest;
import dev.execlog.v1.OutputFile;
import dev.execlog.v1.RecordExecutionRequest;
import dev.execlog.v1.TrackInputFilesRequest;
import dev.execlog.v1.TrackOutputFilesRequest;
import dev.execlog.v1.UpdateExecutionRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad requests get the right status with the field named, and the log file stays byte-for-byte the
 * same. Each case is one row: a name, the call, the expected code and the field it must name.
 */
class BadRequestTest {

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  private record Case(String name, Consumer<ExecutionLogServiceBlockingStub> call, Status.Code code, String field) {}

  private static final String EXISTING_TASK = "t_existing";

  private static RecordExecutionRequest withPath(String path) {
    return record(run("t_bad").addOutputFiles(OutputFile.newBuilder().setPath(path)));
  }

  private static List<Case> cases(Path root) {
    List<Case> c = new ArrayList<>();
    Status.Code bad = Status.Code.INVALID_ARGUMENT;
    // paths, in every path field
    String[] escaping = {"../secret.csv", "DATA/../../secret.csv", "/etc/passwd", "~/data.csv", "~root/x",
        "DATA/\u0000nul.csv", "DATA/tab\there.csv", "DATA/new\nline.csv", "DATA/\u007fdel.csv", "..",
        "..\\..\\windows\\system32", "/tmp/../etc/shadow", "x".repeat(5000), ".", "/",
        "%2e%2e/%2e%2e/etc/passwd", "DATA%2F..%2Fsecret", "DATA/%00.csv", "/proc/self/environ", "./../x"};
    for (String p : escaping) {
      String label = p.length() > 40 ? "long path" : p.replace("\u0000", "\\0").replace("\n", "\\n").replace("\t", "\\t");
      c.add(new Case("output path " + label, s -> s.recordExecution(withPath(p)), bad, "execution.output_files[0].path"));
      c.add(new Case("input path " + label, s -> s.recordExecution(record(run("t_bad")
          .addInputFiles(InputFile.newBuilder().setName("n").setPath(p)))), bad, "execution.input_files[0].path"));
      c.add(new Case("report path " + label, s -> s.recordExecution(record(run("t_bad").setReportPath(p))),
          bad, p.equals(".") ? "execution.report_path" : "execution.report_path"));
      c.add(new Case("track input " + label, s -> s.trackInputFiles(TrackInputFilesRequest.newBuilder()
          .setTaskId(EXISTING_TASK).addPaths(p).build()), bad, "paths[0]"));
      c.add(new Case("track output " + label, s -> s.trackOutputFiles(TrackOutputFilesRequest.newBuilder()
          .setTaskId(EXISTING_TASK).addPaths(p).build()), bad, "paths[0]"));
      c.add(new Case("producer query " + label, s -> s.findOutputProducer(FindOutputProducerRequest.newBuilder()
          .setPath(p).build()), bad, "path"));
    }
    c.add(new Case("symlink escaping the root", s -> s.recordExecution(withPath("escape/passwd")), bad,
        "execution.output_files[0].path"));
    // ids and text fields
    c.add(new Case("no execution", s -> s.recordExecution(RecordExecutionRequest.getDefaultInstance()), bad, "execution"));
    c.add(new Case("empty task id", s -> s.recordExecution(record(run(""))), bad, "execution.task_id"));
    c.add(new Case("blank task id", s -> s.recordExecution(record(run("   "))), bad, "execution.task_id"));
    c.add(new Case("oversized task id", s -> s.recordExecution(record(run("t".repeat(300)))), bad, "execution.task_id"));
    c.add(new Case("control char in task id", s -> s.recordExecution(record(run("t\u0001x"))), bad, "execution.task_id"));
    // identifiers that would look like another one, or hide what they are
    String[][] lying = {{"right-to-left override", "t_\u202Eevil"}, {"zero-width space", "t_\u200Bx"},
        {"byte order mark", "\uFEFFt_x"}, {"C1 next line", "t_\u0085x"}, {"C1 CSI", "t_\u009Bx"},
        {"only a combining mark", "\u0301"}, {"word joiner", "t\u2060x"}, {"line separator", "t_\u2028x"}};
    for (String[] l : lying) {
      c.add(new Case("task id with " + l[0], s -> s.recordExecution(record(run(l[1]))), bad, "execution.task_id"));
    }
    c.add(new Case("hostname with right-to-left override", s -> s.recordExecution(record(run("t_x")
        .setHostname("host\u202E"))), bad, "execution.hostname"));
    c.add(new Case("input name with zero-width joiner", s -> s.recordExecution(record(run("t_x")
        .addInputFiles(InputFile.newBuilder().setName("a\u200Db").setPath("a.csv")))), bad,
        "execution.input_files[0].name"));
    c.add(new Case("path with right-to-left override", s -> s.recordExecution(withPath("DATA/\u202Efdp.exe")), bad,
        "execution.output_files[0].path"));
    c.add(new Case("extra key that is a spec key", s -> s.recordExecution(record(run("t_x")
        .putExtraFields("success", "false"))), bad, "execution.extra_fields[\"success\"]"));
    c.add(new Case("extra value not JSON", s -> s.recordExecution(record(run("t_x")
        .putExtraFields("notes", "looks good"))), bad, "execution.extra_fields[\"notes\"]"));
    c.add(new Case("extra value two JSON values", s -> s.recordExecution(record(run("t_x")
        .putExtraFields("notes", "1 2"))), bad, "execution.extra_fields[\"notes\"]"));
    c.add(new Case("extra value empty", s -> s.recordExecution(record(run("t_x")
        .putExtraFields("notes", ""))), bad, "execution.extra_fields[\"notes\"]"));
    c.add(new Case("extra value too big", s -> s.recordExecution(record(run("t_x")
        .putExtraFields("notes", "\"" + "n".repeat(70_000) + "\""))), bad, "execution.extra_fields[\"notes\"]"));
    c.add(new Case("extra key empty", s -> s.recordExecution(record(run("t_x")
        .putExtraFields("", "1"))), bad, "execution.extra_fields"));
    c.add(new Case("extra input key that is an entry key", s -> s.recordExecution(record(run("t_x")
        .addInputFiles(InputFile.newBuilder().setPath("a.csv").putExtraFields("path", "\"b.csv\"")))), bad,
        "execution.input_files[0].extra_fields[\"path\"]"));
    c.add(new Case("update extra key unquoted dot", s -> s.updateExecution(UpdateExecutionRequest.newBuilder()
        .setExecution(Execution.newBuilder().setRunId("123e4567-e89b-12d3-a456-426614174000"))
        .setUpdateMask(FieldMask.newBuilder().addPaths("extra_fields.a.b")).build()), bad, "update_mask"));
    c.add(new Case("cleanup unknown rule", s -> s.cleanupExecutions(CleanupExecutionsRequest.newBuilder()
        .setRuleValue(99).build()).forEachRemaining(m -> {}), bad, "rule"));
    c.add(new Case("run id not a uuid", s -> s.recordExecution(record(run("t_x").setRunId("run-1"))), bad,
        "execution.run_id"));
    c.add(new Case("oversized run id", s -> s.recordExecution(record(run("t_x").setRunId("a".repeat(400)))), bad,
        "execution.run_id"));
    c.add(new Case("oversized hostname", s -> s.recordExecution(record(run("t_x").setHostname("h".repeat(300)))), bad,
        "execution.hostname"));
    c.add(new Case("oversized output type", s -> s.recordExecution(record(run("t_x").addOutputFiles(
        OutputFile.newBuilder().setPath("a.csv").setType("t".repeat(300))))), bad, "execution.output_files[0].type"));
    c.add(new Case("oversized description", s -> s.recordExecution(record(run("t_x").addOutputFiles(
        OutputFile.newBuilder().setPath("a.csv").setDescription("d".repeat(5000))))), bad,
        "execution.output_files[0].description"));
    c.add(new Case("too many files", s -> {
      Execution.Builder b = run("t_x");
      for (int i = 0; i < 1001; i++) {
        b.addOutputFiles(OutputFile.newBuilder().setPath("f/" + i));
      }
      s.recordExecution(record(b));
    }, bad, "execution.output_files"));
    // numbers and times
    c.add(new Case("negative duration", s -> s.recordExecution(record(run("t_x")
        .setDuration(Duration.newBuilder().setSeconds(-1)))), bad, "execution.duration"));
    c.add(new Case("negative duration nanos", s -> s.recordExecution(record(run("t_x")
        .setDuration(Duration.newBuilder().setNanos(-5)))), bad, "execution.duration"));
    c.add(new Case("huge duration", s -> s.recordExecution(record(run("t_x")
        .setDuration(Duration.newBuilder().setSeconds(315_576_000_000L)))), bad, "execution.duration"));
    c.add(new Case("time before 1970", s -> s.recordExecution(record(run("t_x")
        .setRecordTime(Timestamp.newBuilder().setSeconds(-100)))), bad, "execution.record_time"));
    c.add(new Case("time past year 9999", s -> s.recordExecution(record(run("t_x")
        .setRecordTime(Timestamp.newBuilder().setSeconds(300_000_000_000L)))), bad, "execution.record_time"));
    c.add(new Case("time in the far future", s -> s.recordExecution(record(run("t_x")
        .setRecordTime(Timestamp.newBuilder().setSeconds(4_000_000_000L)))), bad, "execution.record_time"));
    c.add(new Case("bad nanos", s -> s.recordExecution(record(run("t_x")
        .setRecordTime(Timestamp.newBuilder().setSeconds(1).setNanos(2_000_000_000)))), bad, "execution.record_time"));
    c.add(new Case("negative page size", s -> s.listExecutions(ListExecutionsRequest.newBuilder()
        .setPageSize(-1).build()), bad, "page_size"));
    c.add(new Case("negative task page size", s -> s.listTasks(ListTasksRequest.newBuilder()
        .setPageSize(-10).build()), bad, "page_size"));
    c.add(new Case("garbage page token", s -> s.listExecutions(ListExecutionsRequest.newBuilder()
        .setPageToken("not-a-token!!").build()), bad, "page_token"));
    c.add(new Case("forged page token", s -> s.listExecutions(ListExecutionsRequest.newBuilder()
        .setPageToken("aDF8eHx5fHo").build()), bad, "page_token"));
    c.add(new Case("start after end", s -> s.listExecutions(ListExecutionsRequest.newBuilder()
        .setStartTime(Timestamp.newBuilder().setSeconds(200)).setEndTime(Timestamp.newBuilder().setSeconds(100))
        .build()), bad, "start_time"));
    c.add(new Case("negative cleanup age", s -> s.cleanupExecutions(CleanupExecutionsRequest.newBuilder()
        .setMaxAgeDays(-1).build()).forEachRemaining(m -> {}), bad, "max_age_days"));
    c.add(new Case("negative cleanup count", s -> s.cleanupExecutions(CleanupExecutionsRequest.newBuilder()
        .setMaxRunsPerTask(-3).build()).forEachRemaining(m -> {}), bad, "max_runs_per_task"));
    // lookups
    c.add(new Case("unknown run id", s -> s.getExecution(GetExecutionRequest.newBuilder()
        .setRunId("123e4567-e89b-12d3-a456-426614174000").build()), Status.Code.NOT_FOUND, "run_id"));
    c.add(new Case("empty run id", s -> s.getExecution(GetExecutionRequest.getDefaultInstance()), bad, "run_id"));
    c.add(new Case("delete unknown run", s -> s.deleteExecution(DeleteExecutionRequest.newBuilder()
        .setRunId("123e4567-e89b-12d3-a456-426614174000").build()), Status.Code.NOT_FOUND, "run_id"));
    c.add(new Case("latest of unknown task", s -> s.getLatestExecution(GetLatestExecutionRequest.newBuilder()
        .setTaskId("t_nobody").build()), Status.Code.NOT_FOUND, "task_id"));
    c.add(new Case("latest without task", s -> s.getLatestExecution(GetLatestExecutionRequest.getDefaultInstance()),
        bad, "task_id"));
    c.add(new Case("track unknown task", s -> s.trackInputFiles(TrackInputFilesRequest.newBuilder()
        .setTaskId("t_nobody").addPaths("a.csv").build()), Status.Code.NOT_FOUND, "task_id"));
    c.add(new Case("track no paths", s -> s.trackOutputFiles(TrackOutputFilesRequest.newBuilder()
        .setTaskId(EXISTING_TASK).build()), bad, "paths"));
    c.add(new Case("dependencies none named", s -> s.checkDependencies(CheckDependenciesRequest.getDefaultInstance()),
        bad, "task_ids"));
    c.add(new Case("dependencies empty id", s -> s.checkDependencies(CheckDependenciesRequest.newBuilder()
        .addTaskIds("t_a").addTaskIds("").build()), bad, "task_ids[1]"));
    // updates
    c.add(new Case("update without mask", s -> s.updateExecution(UpdateExecutionRequest.newBuilder()
        .setExecution(Execution.newBuilder().setRunId("123e4567-e89b-12d3-a456-426614174000")).build()), bad,
        "update_mask"));
    c.add(new Case("update unknown mask path", s -> s.updateExecution(UpdateExecutionRequest.newBuilder()
        .setExecution(Execution.newBuilder().setRunId("123e4567-e89b-12d3-a456-426614174000"))
        .setUpdateMask(FieldMask.newBuilder().addPaths("nonsense")).build()), bad, "update_mask"));
    c.add(new Case("update task id", s -> s.updateExecution(UpdateExecutionRequest.newBuilder()
        .setExecution(Execution.newBuilder().setRunId("123e4567-e89b-12d3-a456-426614174000"))
        .setUpdateMask(FieldMask.newBuilder().addPaths("task_id")).build()), bad, "update_mask"));
    c.add(new Case("update unknown run", s -> s.updateExecution(UpdateExecutionRequest.newBuilder()
        .setExecution(Execution.newBuilder().setRunId("123e4567-e89b-12d3-a456-426614174000"))
        .setUpdateMask(FieldMask.newBuilder().addPaths("success")).build()), Status.Code.NOT_FOUND, "run_id"));
    return c;
  }

  @TestFactory
  Stream<DynamicTest> badRequest_getsItsStatusNamesTheFieldAndChangesNothing() throws Exception {
    server.stub().recordExecution(record(run(EXISTING_TASK)));
    Path outside = Files.createTempDirectory("execlog-outside-");
    Files.createSymbolicLink(server.root().resolve("escape"), outside);
    server.server().store().flush();
    byte[] before = server.storedLog();
    return cases(server.root()).stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> c.call().accept(server.stub()));
      assertEquals(c.code(), e.getStatus().getCode(), e.getStatus().toString());
      assertTrue(e.getStatus().getDescription().contains(c.field()),
          "message should name " + c.field() + ": " + e.getStatus().getDescription());
      if (c.code() == Status.Code.INVALID_ARGUMENT) {
        assertEquals(c.field(), fieldViolation(e));
      }
      server.server().store().flush();
      assertArrayEquals(before, server.storedLog(), "the log file changed");
    }));
  }

  @Test
  void malformedUtf8OnTheWire_isInvalidArgumentNotInternal() throws Exception {
    // A RecordExecutionRequest whose execution.task_id holds the bytes FF FE: not UTF-8.
    ByteArrayOutputStream inner = new ByteArrayOutputStream();
    CodedOutputStream innerOut = CodedOutputStream.newInstance(inner);
    innerOut.writeByteArray(2, new byte[] {(byte) 0xff, (byte) 0xfe});
    innerOut.writeString(3, "profiling");
    innerOut.flush();
    ByteArrayOutputStream outer = new ByteArrayOutputStream();
    CodedOutputStream outerOut = CodedOutputStream.newInstance(outer);
    outerOut.writeByteArray(1, inner.toByteArray());
    outerOut.flush();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> RawCalls.unary(
        server.channel(), ExecutionLogServiceGrpc.getRecordExecutionMethod(), outer.toByteArray()));
    ErrorDetails.assertReason(e, Status.Code.INVALID_ARGUMENT, "UNPARSABLE_REQUEST",
        Map.of("method", "execlog.v1.ExecutionLogService/RecordExecution"));
    assertTrue(e.getStatus().getDescription().contains("RecordExecution"));
    assertEquals(0, server.stub().getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount());
  }

  @Test
  void importOverTheSizeLimit_isResourceExhaustedNamingTheLimit() throws Exception {
    server.stop();
    server.start(c -> c.withLimits(new Limits(1000, 1000, 2_000)));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> StreamCalls.importLog(
        server.asyncStub(), "{\"executions\": [" + " ".repeat(5_000) + "]}", ImportMode.IMPORT_MODE_MERGE));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("--max-import-bytes"));
  }

  private static String fieldViolation(StatusRuntimeException e) throws Exception {
    for (Any any : StatusProto.fromThrowable(e).getDetailsList()) {
      if (any.is(BadRequest.class)) {
        return any.unpack(BadRequest.class).getFieldViolations(0).getField();
      }
    }
    return null;
  }

  @TestFactory
  Stream<DynamicTest> badImport_isRejectedAndTheLogIsUntouched() throws Exception {
    server.stub().recordExecution(record(run(EXISTING_TASK)));
    server.server().store().flush();
    byte[] before = server.storedLog();
    String run = "{\"task_id\":\"t\",\"task_type\":\"x\",\"task_run_id\":\"123e4567-e89b-12d3-a456-426614174000\","
        + "\"timestamp\":\"2025-01-01T00:00:00\",\"success\":true,\"execution_time\":1}";
    List<String[]> imports = List.of(
        new String[] {"not json", "hello world"},
        new String[] {"empty", ""},
        new String[] {"array at top", "[1,2,3]"},
        new String[] {"executions not a list", "{\"executions\": {}}"},
        new String[] {"run not an object", "{\"executions\": [42]}"},
        new String[] {"task id not a string", "{\"executions\": [" + run.replace("\"t\"", "5") + "]}"},
        new String[] {"input entry not an object", "{\"executions\": [" + run.replace("}", ",\"input_files\":[42]}") + "]}"},
        new String[] {"missing run id", "{\"executions\": [{\"task_id\":\"t\"}]}"},
        new String[] {"bad timestamp", "{\"executions\": [" + run.replace("2025-01-01T00:00:00", "yesterday") + "]}"},
        new String[] {"duplicate run ids", "{\"executions\": [" + run + "," + run + "]}"},
        new String[] {"truncated", "{\"executions\": [" + run},
        new String[] {"trailing garbage", "{\"executions\": []} xyz"},
        new String[] {"path escaping root", "{\"executions\": [" + run.replace("}", ",\"report_path\":\"../x\"}") + "]}"});
    return imports.stream().map(i -> DynamicTest.dynamicTest("import " + i[0], () -> {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> StreamCalls.importLog(server.asyncStub(), i[1], ImportMode.IMPORT_MODE_REPLACE));
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
      server.server().store().flush();
      assertArrayEquals(before, server.storedLog(), "the log file changed");
    }));
  }
}
