package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static dev.execlog.server.Runs.withFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.execlog.v1.Execution;
import dev.execlog.v1.FindOutputProducerRequest;
import dev.execlog.v1.GetExecutionRequest;
import dev.execlog.v1.GetLatestExecutionRequest;
import dev.execlog.v1.ListExecutionsRequest;
import dev.execlog.v1.ListExecutionsResponse;
import dev.execlog.v1.ListTasksRequest;
import dev.execlog.v1.ListTasksResponse;
import dev.execlog.v1.RecordExecutionResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RecordAndQueryTest {

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  private static Timestamp at(long seconds) {
    return Timestamp.newBuilder().setSeconds(seconds).build();
  }

  @Test
  void recordExecution_fullRun_isReturnedByGetWithNormalizedFields() {
    RecordExecutionResponse recorded = server.stub().recordExecution(record(
        withFiles(run("t_1I"), "DATA/raw/customers.csv", "./DATA/processed/customers.csv")));
    Execution stored = recorded.getExecution();
    assertFalse(recorded.getAlreadyRecorded());
    assertEquals(36, stored.getRunId().length());
    assertEquals("DATA/processed/customers.csv", stored.getOutputFiles(0).getPath());
    assertTrue(stored.hasRecordTime());
    assertFalse(stored.getHostname().isEmpty());

    Execution fetched = server.stub().getExecution(GetExecutionRequest.newBuilder()
        .setRunId(stored.getRunId()).build()).getExecution();
    assertEquals(stored, fetched);
  }

  @Test
  void recordExecution_sameRunIdAndContent_returnsStoredRunOnce() {
    String id = UUID.randomUUID().toString();
    Execution.Builder b = run("t_retry").setRunId(id);
    RecordExecutionResponse first = server.stub().recordExecution(record(b));
    RecordExecutionResponse retry = server.stub().recordExecution(record(b));
    assertTrue(retry.getAlreadyRecorded());
    assertEquals(first.getExecution(), retry.getExecution());
    ListExecutionsResponse all = server.stub().listExecutions(ListExecutionsRequest.newBuilder()
        .setTaskId("t_retry").build());
    assertEquals(1, all.getExecutionsCount());
  }

  @Test
  void recordExecution_sameRunIdOtherContent_isAlreadyExists() {
    String id = UUID.randomUUID().toString();
    server.stub().recordExecution(record(run("t_a").setRunId(id)));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> server.stub().recordExecution(record(run("t_a").setRunId(id).setSuccess(false))));
    assertEquals(Status.Code.ALREADY_EXISTS, e.getStatus().getCode());
  }

  @Test
  void listExecutions_pageTokenFromBeforeARestart_continuesWhereItStopped() throws Exception {
    long base = 1_700_000_000L;
    for (int i = 0; i < 10; i++) {
      server.stub().recordExecution(record(run("t_restart").setRecordTime(at(base + i / 4))));
    }
    List<String> straight = server.stub().listExecutions(ListExecutionsRequest.newBuilder().setPageSize(10).build())
        .getExecutionsList().stream().map(Execution::getRunId).toList();
    ListExecutionsResponse first = server.stub().listExecutions(ListExecutionsRequest.newBuilder().setPageSize(5).build());
    server.restart();
    ListExecutionsResponse rest = server.stub().listExecutions(ListExecutionsRequest.newBuilder().setPageSize(10)
        .setPageToken(first.getNextPageToken()).build());
    List<String> paged = new ArrayList<>(first.getExecutionsList().stream().map(Execution::getRunId).toList());
    paged.addAll(rest.getExecutionsList().stream().map(Execution::getRunId).toList());
    assertEquals(straight, paged, "the same runs in the same order, ties within one second included");
  }

  @Test
  void listExecutions_pagesThroughAllRunsNewestFirstWithoutGapsOrRepeats() {
    long base = 1_700_000_000L;
    for (int i = 0; i < 25; i++) {
      // Several runs share a time, so the order of recording must break ties.
      server.stub().recordExecution(record(run(i % 2 == 0 ? "t_even" : "t_odd").setRecordTime(at(base + i / 3))));
    }
    List<Execution> seen = new ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      ListExecutionsResponse page = server.stub().listExecutions(ListExecutionsRequest.newBuilder()
          .setPageSize(4).setPageToken(token).build());
      seen.addAll(page.getExecutionsList());
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());
    assertEquals(25, seen.size());
    assertEquals(7, pages);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < seen.size(); i++) {
      assertTrue(ids.add(seen.get(i).getRunId()));
      if (i > 0) {
        assertTrue(seen.get(i - 1).getRecordTime().getSeconds() >= seen.get(i).getRecordTime().getSeconds());
      }
    }
  }

  @Test
  void listExecutions_filtersByTaskSuccessAndTimeRange() {
    long base = 1_700_000_000L;
    for (int i = 0; i < 10; i++) {
      server.stub().recordExecution(record(run("t_f").setSuccess(i % 2 == 0).setRecordTime(at(base + i * 60))));
    }
    server.stub().recordExecution(record(run("t_other").setRecordTime(at(base + 120))));
    ListExecutionsResponse r = server.stub().listExecutions(ListExecutionsRequest.newBuilder()
        .setTaskId("t_f").setSuccessOnly(true).setStartTime(at(base + 120)).setEndTime(at(base + 480)).build());
    List<Long> times = r.getExecutionsList().stream().map(e -> e.getRecordTime().getSeconds() - base).toList();
    assertEquals(List.of(420L, 360L, 300L, 240L, 180L, 120L).stream().filter(t -> (t / 60) % 2 == 0).toList(), times);
  }

  @Test
  void listExecutions_tokenWithOtherFilters_isInvalidArgument() {
    for (int i = 0; i < 3; i++) {
      server.stub().recordExecution(record(run("t_tok")));
    }
    String token = server.stub().listExecutions(ListExecutionsRequest.newBuilder().setPageSize(1).build())
        .getNextPageToken();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> server.stub().listExecutions(
        ListExecutionsRequest.newBuilder().setPageSize(1).setTaskId("t_tok").setPageToken(token).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("page_token"));
  }

  @Test
  void getLatestExecution_defaultsToSuccessfulRuns() {
    long base = 1_700_000_000L;
    server.stub().recordExecution(record(run("t_l").setRecordTime(at(base))));
    Execution failed = server.stub().recordExecution(record(run("t_l").setSuccess(false)
        .setRecordTime(at(base + 10)))).getExecution();
    Execution latestSuccess = server.stub().getLatestExecution(
        GetLatestExecutionRequest.newBuilder().setTaskId("t_l").build()).getExecution();
    assertEquals(base, latestSuccess.getRecordTime().getSeconds());
    Execution latestAny = server.stub().getLatestExecution(
        GetLatestExecutionRequest.newBuilder().setTaskId("t_l").setIncludeFailed(true).build()).getExecution();
    assertEquals(failed.getRunId(), latestAny.getRunId());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> server.stub().getLatestExecution(
        GetLatestExecutionRequest.newBuilder().setTaskId("t_never").build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  @Test
  void findOutputProducer_relativeQueryFindsRunRecordedWithAbsolutePath() {
    String absolute = server.root().resolve("DATA/out/result.csv").toString();
    Execution producer = server.stub().recordExecution(record(
        withFiles(run("t_p"), "DATA/in.csv", absolute))).getExecution();
    Execution found = server.stub().findOutputProducer(FindOutputProducerRequest.newBuilder()
        .setPath("DATA/out/result.csv").build()).getExecution();
    assertEquals(producer.getRunId(), found.getRunId());
    Execution foundByAbsolute = server.stub().findOutputProducer(FindOutputProducerRequest.newBuilder()
        .setPath(absolute).build()).getExecution();
    assertEquals(producer.getRunId(), foundByAbsolute.getRunId());
  }

  @Test
  void findOutputProducer_severalWriters_returnsNewestAndListsAll() {
    long base = 1_700_000_000L;
    Execution older = server.stub().recordExecution(record(
        withFiles(run("t_w1").setRecordTime(at(base + 100)), "a.csv", "shared/out.csv"))).getExecution();
    Execution newer = server.stub().recordExecution(record(
        withFiles(run("t_w2").setRecordTime(at(base + 200)), "b.csv", "shared/out.csv"))).getExecution();
    var response = server.stub().findOutputProducer(FindOutputProducerRequest.newBuilder()
        .setPath("shared/out.csv").setIncludeAll(true).build());
    assertEquals(newer.getRunId(), response.getExecution().getRunId());
    assertEquals(List.of(newer.getRunId(), older.getRunId()),
        response.getProducersList().stream().map(Execution::getRunId).toList());
  }

  @Test
  void findOutputProducer_unknownFile_isNotFound() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> server.stub().findOutputProducer(
        FindOutputProducerRequest.newBuilder().setPath("nothing/here.csv").build()));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
  }

  @Test
  void listTasks_summarizesNewestRunPerTaskInPages() {
    for (int i = 0; i < 5; i++) {
      server.stub().recordExecution(record(run("t_" + i)));
      server.stub().recordExecution(record(run("t_" + i).setSuccess(false)));
    }
    ListTasksResponse first = server.stub().listTasks(ListTasksRequest.newBuilder().setPageSize(3).build());
    assertEquals(3, first.getTasksCount());
    assertFalse(first.getNextPageToken().isEmpty());
    ListTasksResponse second = server.stub().listTasks(ListTasksRequest.newBuilder().setPageSize(3)
        .setPageToken(first.getNextPageToken()).build());
    assertEquals(2, second.getTasksCount());
    assertTrue(second.getNextPageToken().isEmpty());
    assertEquals("t_3", second.getTasks(0).getTaskId());
    assertEquals(2, second.getTasks(0).getRunCount());
    assertFalse(second.getTasks(0).getLastSuccess());
  }
}
