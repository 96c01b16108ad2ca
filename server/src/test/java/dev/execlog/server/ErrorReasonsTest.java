package dev.execlog.server;

import static dev.execlog.server.ErrorDetails.assertReason;
import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.ops.Limits;
import dev.execlog.v1.DeleteExecutionRequest;
import dev.execlog.v1.Execution;
import dev.execlog.v1.FindOutputProducerRequest;
import dev.execlog.v1.FindOutputProducerResponse;
import dev.execlog.v1.GetExecutionRequest;
import dev.execlog.v1.GetLatestExecutionRequest;
import dev.execlog.v1.ImportMode;
import dev.execlog.v1.ListExecutionsRequest;
import dev.execlog.v1.ListTasksRequest;
import dev.execlog.v1.OutputFile;
import dev.execlog.v1.UpdateExecutionRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * Every reason a handler sends, with its code and metadata, as the contract's ErrorReason documents
 * them. (Authentication, request parsing, size limits and watches have theirs checked in their own
 * tests: SecurityTest, BadRequestTest, RequestLimitsTest, ResponseSizeTest, WatchExecutionsTest.)
 */
class ErrorReasonsTest {

  private static final String UNKNOWN_ID = "123e4567-e89b-12d3-a456-426614174999";

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  private static StatusRuntimeException failure(Executable call) {
    return assertThrows(StatusRuntimeException.class, call);
  }

  @Test
  void domainReasonsThatTravel_areExactlyTheContractsReasons() {
    Set<String> contract = Arrays.stream(dev.execlog.v1.ErrorReason.values())
        .filter(r -> r != dev.execlog.v1.ErrorReason.ERROR_REASON_UNSPECIFIED && r != dev.execlog.v1.ErrorReason.UNRECOGNIZED)
        .map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
    Set<String> sent = Arrays.stream(ErrorReason.values()).filter(ErrorReason::sentToCallers)
        .map(Enum::name).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(contract, sent);
  }

  @Test
  void invalidField_namesTheField() {
    StatusRuntimeException e = failure(() -> server.stub().recordExecution(record(run(""))));
    assertReason(e, Status.Code.INVALID_ARGUMENT, "INVALID_FIELD", Map.of("field", "execution.task_id"));
  }

  @Test
  void pathOutsideRoot_namesTheFieldAndThePath() {
    StatusRuntimeException e = failure(() -> server.stub().recordExecution(record(run("t_1").setReportPath("../x.json"))));
    assertReason(e, Status.Code.INVALID_ARGUMENT, "PATH_OUTSIDE_ROOT",
        Map.of("field", "execution.report_path", "path", "../x.json"));
  }

  @Test
  void runNotFound_namesTheRunId() {
    StatusRuntimeException get = failure(() -> server.stub().getExecution(
        GetExecutionRequest.newBuilder().setRunId(UNKNOWN_ID).build()));
    assertReason(get, Status.Code.NOT_FOUND, "RUN_NOT_FOUND", Map.of("field", "run_id", "run_id", UNKNOWN_ID));
    StatusRuntimeException delete = failure(() -> server.stub().deleteExecution(
        DeleteExecutionRequest.newBuilder().setRunId(UNKNOWN_ID).build()));
    assertReason(delete, Status.Code.NOT_FOUND, "RUN_NOT_FOUND", Map.of("run_id", UNKNOWN_ID));
    StatusRuntimeException update = failure(() -> server.stub().updateExecution(UpdateExecutionRequest.newBuilder()
        .setExecution(Execution.newBuilder().setRunId(UNKNOWN_ID).setSuccess(true))
        .setUpdateMask(FieldMask.newBuilder().addPaths("success")).build()));
    assertReason(update, Status.Code.NOT_FOUND, "RUN_NOT_FOUND", Map.of("field", "execution.run_id", "run_id", UNKNOWN_ID));
  }

  @Test
  void taskHasNoRun_namesTheTask() {
    StatusRuntimeException e = failure(() -> server.stub().getLatestExecution(
        GetLatestExecutionRequest.newBuilder().setTaskId("t_never").build()));
    assertReason(e, Status.Code.NOT_FOUND, "TASK_HAS_NO_RUN", Map.of("field", "task_id", "task_id", "t_never"));
  }

  @Test
  void producerNotFound_namesTheNormalizedPath() {
    StatusRuntimeException e = failure(() -> server.stub().findOutputProducer(
        FindOutputProducerRequest.newBuilder().setPath("./DATA/none.csv").build()));
    assertReason(e, Status.Code.NOT_FOUND, "PRODUCER_NOT_FOUND", Map.of("field", "path", "path", "DATA/none.csv"));
  }

  @Test
  void runIdTaken_namesTheRunId() {
    String id = server.stub().recordExecution(record(run("t_1"))).getExecution().getRunId();
    StatusRuntimeException e = failure(() -> server.stub().recordExecution(record(run("t_other").setRunId(id))));
    assertReason(e, Status.Code.ALREADY_EXISTS, "RUN_ID_TAKEN", Map.of("field", "execution.run_id", "run_id", id));
  }

  @Test
  void runTooLarge_namesTheLimit() {
    Execution.Builder heavy = run("t_heavy");
    for (int i = 0; i < 300; i++) {
      heavy.addInputFilesBuilder().setName("in" + i).setPath("DATA/in/" + i + "/" + "x".repeat(4000));
    }
    StatusRuntimeException e = failure(() -> server.stub().recordExecution(record(heavy)));
    assertReason(e, Status.Code.INVALID_ARGUMENT, "RUN_TOO_LARGE",
        Map.of("field", "execution", "limit", Integer.toString(Limits.DEFAULT_MAX_RUN_BYTES)));
  }

  @Test
  void importTooLarge_namesTheLimit() throws Exception {
    server.stop();
    server.start(c -> c.withLimits(new Limits(1000, 1000, 2_000)));
    StatusRuntimeException e = failure(() -> StreamCalls.importLog(server.asyncStub(),
        "{\"executions\": [" + " ".repeat(5_000) + "]}", ImportMode.IMPORT_MODE_MERGE));
    assertReason(e, Status.Code.RESOURCE_EXHAUSTED, "IMPORT_TOO_LARGE", Map.of("limit", "2000"));
  }

  @Test
  void pageTokens_onlyServeTheQueryThatIssuedThem() {
    for (int i = 0; i < 3; i++) {
      server.stub().recordExecution(record(run("t_a")));
      server.stub().recordExecution(record(run("t_b")));
    }
    String token = server.stub().listExecutions(ListExecutionsRequest.newBuilder().setTaskId("t_a").setPageSize(1)
        .build()).getNextPageToken();
    assertFalse(token.isEmpty());
    assertTrue(token.matches("[A-Za-z0-9_-]+"), "base64url: " + token);

    StatusRuntimeException otherTask = failure(() -> server.stub().listExecutions(ListExecutionsRequest.newBuilder()
        .setTaskId("t_b").setPageToken(token).build()));
    assertReason(otherTask, Status.Code.INVALID_ARGUMENT, "INVALID_PAGE_TOKEN", Map.of("field", "page_token"));
    assertTrue(otherTask.getStatus().getDescription().contains("task_id"), otherTask.getStatus().getDescription());
    StatusRuntimeException otherFilter = failure(() -> server.stub().listExecutions(ListExecutionsRequest.newBuilder()
        .setTaskId("t_a").setSuccessOnly(true).setPageToken(token).build()));
    assertTrue(otherFilter.getStatus().getDescription().contains("success_only"), otherFilter.getStatus().getDescription());
    StatusRuntimeException otherMethod = failure(() -> server.stub().listTasks(ListTasksRequest.newBuilder()
        .setPageToken(token).build()));
    assertReason(otherMethod, Status.Code.INVALID_ARGUMENT, "INVALID_PAGE_TOKEN", Map.of("field", "page_token"));
    char last = token.charAt(token.length() - 2);
    String damaged = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
    StatusRuntimeException broken = failure(() -> server.stub().listExecutions(ListExecutionsRequest.newBuilder()
        .setTaskId("t_a").setPageToken(damaged).build()));
    assertReason(broken, Status.Code.INVALID_ARGUMENT, "INVALID_PAGE_TOKEN", Map.of("field", "page_token"));

    assertEquals(1, server.stub().listExecutions(ListExecutionsRequest.newBuilder().setTaskId("t_a").setPageSize(1)
        .setPageToken(token).build()).getExecutionsCount(), "the right query still pages");
  }

  @Test
  void producersList_saysWhenItWasCut() throws Exception {
    server.stop();
    server.start(c -> c.withLimits(new Limits(1000, 2, 1L << 30)));
    for (int i = 0; i < 3; i++) {
      server.stub().recordExecution(record(run("t_" + i).addOutputFiles(
          OutputFile.newBuilder().setPath("DATA/shared.csv"))));
    }
    FindOutputProducerResponse all = server.stub().findOutputProducer(FindOutputProducerRequest.newBuilder()
        .setPath("DATA/shared.csv").setIncludeAll(true).build());
    assertEquals(2, all.getProducersCount());
    assertTrue(all.getProducersTruncated());
  }
}
