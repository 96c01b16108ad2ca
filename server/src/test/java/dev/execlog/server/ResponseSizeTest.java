package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.execlog.v1.CheckDependenciesRequest;
import dev.execlog.v1.CheckDependenciesResponse;
import dev.execlog.v1.Execution;
import dev.execlog.v1.GetLogInfoRequest;
import dev.execlog.v1.InputFile;
import dev.execlog.v1.ListExecutionsRequest;
import dev.execlog.v1.ListExecutionsResponse;
import dev.execlog.v1.TrackInputFilesRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * No run, page or answer grows past what a client accepts in one message (4 MiB by default): a run
 * is bounded by weight, pages end early, and one small request cannot make the server build a huge
 * answer.
 */
class ResponseSizeTest {

  private static final int CLIENT_LIMIT = 4 * 1024 * 1024;

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  /** A run of {@code files} inputs whose paths are {@code pathBytes} long. */
  private static Execution.Builder heavy(String taskId, int files, int pathBytes) {
    Execution.Builder b = run(taskId);
    for (int i = 0; i < files; i++) {
      String name = String.format("DATA/in/%s/%06d/", taskId, i);
      b.addInputFiles(InputFile.newBuilder().setName("in" + i).setPath(name + "x".repeat(pathBytes - name.length())));
    }
    return b;
  }

  private long count() {
    return server.stub().getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount();
  }

  @Test
  void runOfFourMegabytes_isRefusedNamingTheLimit() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> server.stub().recordExecution(record(heavy("t_heavy", 1000, 4000))));

    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("--max-run-bytes"), e.getStatus().getDescription());
    assertEquals(0, count());
  }

  @Test
  void heavyRuns_pageEndsEarlyWithATokenAndEveryRunComesOnce() {
    Set<String> recorded = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      recorded.add(server.stub().recordExecution(record(heavy("t_heavy", 900, 1000))).getExecution().getRunId());
    }
    List<String> seen = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      ListExecutionsResponse page = server.stub().listExecutions(ListExecutionsRequest.newBuilder().setPageToken(token).build());
      assertTrue(page.getSerializedSize() < CLIENT_LIMIT, "page of " + page.getSerializedSize() + " bytes");
      assertFalse(page.getExecutionsList().isEmpty(), "a page is never empty while runs remain");
      page.getExecutionsList().forEach(r -> seen.add(r.getRunId()));
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());

    assertTrue(pages > 1, "six runs of ~900 KB do not fit one page");
    assertEquals(6, seen.size(), "no run twice: " + seen);
    assertEquals(recorded, new HashSet<>(seen));
  }

  @Test
  void trackingThatWouldMakeARunTooHeavy_isRefusedAndChangesNothing() {
    server.stub().recordExecution(record(heavy("t_track", 1000, 1000)));
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      paths.add(String.format("DATA/more/%04d/", i) + "y".repeat(990));
    }

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> server.stub().trackInputFiles(
        TrackInputFilesRequest.newBuilder().setTaskId("t_track").addAllPaths(paths).build()));

    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals(1000, server.stub().listExecutions(ListExecutionsRequest.getDefaultInstance())
        .getExecutions(0).getInputFilesCount());
  }

  @Test
  void dependencyNamedTwoHundredTimes_isAnsweredOnce() {
    server.stub().recordExecution(record(heavy("t_big", 900, 1000)));

    CheckDependenciesResponse answer = server.stub().checkDependencies(CheckDependenciesRequest.newBuilder()
        .addAllTaskIds(Collections.nCopies(200, "t_big")).build());

    assertEquals(1, answer.getDependenciesCount());
    assertTrue(answer.getSatisfied());
    assertTrue(answer.getSerializedSize() < CLIENT_LIMIT, answer.getSerializedSize() + " bytes");
  }

  @Test
  void dependencyCheckOverAThousandTasks_isRefusedNamingTheField() throws InvalidProtocolBufferException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      ids.add("t_" + i);
    }
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> server.stub()
        .checkDependencies(CheckDependenciesRequest.newBuilder().addAllTaskIds(ids).build()));

    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("task_ids"), e.getStatus().getDescription());
  }

  @Test
  void dependenciesTooHeavyForOneAnswer_failWithTheLimitInsteadOfBuildingIt() throws Exception {
    List<String> tasks = new ArrayList<>();
    for (int t = 0; t < 5; t++) {
      tasks.add("t_dep_" + t);
      server.stub().recordExecution(record(heavy("t_dep_" + t, 900, 1000)));
    }

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> server.stub()
        .checkDependencies(CheckDependenciesRequest.newBuilder().addAllTaskIds(tasks).build()));

    ErrorDetails.assertReason(e, Status.Code.RESOURCE_EXHAUSTED, "RESPONSE_TOO_LARGE",
        Map.of("field", "task_ids", "limit", Integer.toString(3 * 1024 * 1024)));
    assertTrue(e.getStatus().getDescription().contains("fewer tasks"), e.getStatus().getDescription());
  }
}
