package dev.execlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
import dev.execlog.v1.ChangeKind;
import dev.execlog.v1.CleanupExecutionsRequest;
import dev.execlog.v1.CleanupRule;
import dev.execlog.v1.DeleteExecutionRequest;
import dev.execlog.v1.Execution;
import dev.execlog.v1.ExecutionChange;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.ListExecutionsRequest;
import dev.execlog.v1.TrackInputFilesRequest;
import dev.execlog.v1.TrackOutputFilesRequest;
import dev.execlog.v1.UpdateExecutionRequest;
import dev.execlog.v1.WatchExecutionsRequest;
import dev.execlog.v1.WatchExecutionsResponse;
import dev.execlog.v1.WatchStarted;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** WatchExecutions: exactly the committed changes, in order, filtered, and lagging readers cut off. */
class WatchExecutionsTest {

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  private FlowRuns runs;

  @BeforeEach
  void setUp() {
    runs = new FlowRuns(server.stub());
  }

  private WatchProbe watch(ExecutionLogServiceGrpc.ExecutionLogServiceStub stub, WatchExecutionsRequest request,
      boolean manual) throws InterruptedException {
    WatchProbe probe = new WatchProbe(manual);
    stub.watchExecutions(request, probe);
    assertTrue(probe.next().hasStarted(), "the first message says where the watch starts");
    return probe;
  }

  private static String describe(ExecutionChange c) {
    return c.getKind() + " " + c.getExecution().getTaskId();
  }

  @Test
  void watchExecutions_recordUpdateDelete_streamsEachChangeInOrder() throws Exception {
    runs.run("before", 0, List.of(), List.of());
    WatchProbe probe = new WatchProbe(false);
    server.asyncStub().watchExecutions(WatchExecutionsRequest.getDefaultInstance(), probe);
    long start = probe.next().getStarted().getSequence();
    assertEquals(1, start, "one change was committed before the watch");

    String a = runs.run("A", 10, List.of(), List.of("DATA/a.csv"));
    server.stub().updateExecution(UpdateExecutionRequest.newBuilder()
        .setExecution(Execution.newBuilder().setRunId(a).setSuccess(false))
        .setUpdateMask(FieldMask.newBuilder().addPaths("success")).build());
    server.stub().deleteExecution(DeleteExecutionRequest.newBuilder().setRunId(a).build());
    String b = runs.run("B", 20, List.of(), List.of());

    List<ExecutionChange> got = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      got.add(probe.next().getChange());
    }
    assertEquals(List.of("CHANGE_KIND_RECORDED A", "CHANGE_KIND_UPDATED A", "CHANGE_KIND_REMOVED A",
        "CHANGE_KIND_RECORDED B"), got.stream().map(WatchExecutionsTest::describe).toList());
    assertEquals(List.of(start + 1, start + 2, start + 3, start + 4),
        got.stream().map(ExecutionChange::getSequence).toList());
    assertEquals(a, got.get(2).getExecution().getRunId());
    assertEquals(false, got.get(1).getExecution().getSuccess());
    assertEquals(b, got.get(3).getExecution().getRunId());
    assertTrue(probe.quiet(), "nothing beyond the changes made");
    probe.cancel();
    runs.run("after", 30, List.of(), List.of()); // writes go on after the watcher left
  }

  @Test
  void watchExecutions_resumeWithTheFeedAndLastSequence_missesNothing() throws Exception {
    WatchProbe first = new WatchProbe(false);
    server.asyncStub().watchExecutions(WatchExecutionsRequest.getDefaultInstance(), first);
    WatchStarted started = first.next().getStarted();
    assertFalse(started.getResumed());
    assertFalse(started.getFeedId().isEmpty());
    runs.run("A", 10, List.of(), List.of());
    long last = first.next().getChange().getSequence();
    first.cancel();
    runs.run("B", 20, List.of(), List.of());   // committed while no one watched
    runs.run("other", 25, List.of(), List.of());
    runs.run("C", 30, List.of(), List.of());

    WatchProbe again = new WatchProbe(false);
    server.asyncStub().watchExecutions(WatchExecutionsRequest.newBuilder().setAfterSequence(last)
        .setFeedId(started.getFeedId()).build(), again);
    WatchStarted resumed = again.next().getStarted();
    assertTrue(resumed.getResumed());
    assertEquals(last, resumed.getSequence());
    assertEquals(List.of("CHANGE_KIND_RECORDED B", "CHANGE_KIND_RECORDED other", "CHANGE_KIND_RECORDED C"),
        List.of(describe(again.next().getChange()), describe(again.next().getChange()),
            describe(again.next().getChange())));
    runs.run("D", 40, List.of(), List.of());
    assertEquals("CHANGE_KIND_RECORDED D", describe(again.next().getChange()), "then the live changes");
    assertTrue(again.quiet());
    again.cancel();

    WatchProbe filtered = new WatchProbe(false);
    server.asyncStub().watchExecutions(WatchExecutionsRequest.newBuilder().setAfterSequence(last)
        .setFeedId(started.getFeedId()).setTaskId("C").build(), filtered);
    assertTrue(filtered.next().getStarted().getResumed());
    assertEquals("CHANGE_KIND_RECORDED C", describe(filtered.next().getChange()), "a resume keeps the filter");
    assertTrue(filtered.quiet());
    filtered.cancel();
  }

  @Test
  void watchExecutions_resumeFromAnotherFeed_startsNowAndSaysSo() throws Exception {
    runs.run("A", 10, List.of(), List.of());
    WatchProbe probe = new WatchProbe(false);
    server.asyncStub().watchExecutions(WatchExecutionsRequest.newBuilder().setAfterSequence(0)
        .setFeedId("a feed of an earlier server run").build(), probe);
    WatchStarted started = probe.next().getStarted();
    assertFalse(started.getResumed(), "sequences restart with the server: another feed's are not this one's");
    assertEquals(1, started.getSequence());
    probe.cancel();

    StatusRuntimeException noFeed = assertThrows(StatusRuntimeException.class, () -> server.stub()
        .watchExecutions(WatchExecutionsRequest.newBuilder().setAfterSequence(1).build()).next());
    ErrorDetails.assertReason(noFeed, Status.Code.INVALID_ARGUMENT, "INVALID_FIELD", Map.of("field", "feed_id"));
  }

  @Test
  void watchExecutions_changesThatChangeNothing_notifyNoOne() throws Exception {
    String a = runs.run("A", 10, List.of("DATA/in.csv"), List.of("DATA/a.csv"));
    WatchProbe probe = watch(server.asyncStub(), WatchExecutionsRequest.getDefaultInstance(), false);

    server.stub().trackInputFiles(TrackInputFilesRequest.newBuilder().setTaskId("A").addPaths("DATA/in.csv").build());
    server.stub().trackOutputFiles(TrackOutputFilesRequest.newBuilder().setTaskId("A").addPaths("./DATA/a.csv").build());
    server.stub().updateExecution(UpdateExecutionRequest.newBuilder()
        .setExecution(Execution.newBuilder().setRunId(a).setSuccess(true))
        .setUpdateMask(FieldMask.newBuilder().addPaths("success")).build());
    String b = runs.run("B", 20, List.of(), List.of());

    ExecutionChange first = probe.next().getChange();
    assertEquals("CHANGE_KIND_RECORDED B", describe(first), "the no-op track and update sent nothing");
    assertEquals(b, first.getExecution().getRunId());
    assertTrue(probe.quiet());
    probe.cancel();
  }

  @Test
  void watchExecutions_filters_deliverOnlyMatchingChanges() throws Exception {
    WatchProbe byTask = watch(server.asyncStub(), WatchExecutionsRequest.newBuilder().setTaskId("A").build(), false);
    WatchProbe byType = watch(server.asyncStub(),
        WatchExecutionsRequest.newBuilder().setTaskType("ingestion").build(), false);
    WatchProbe failures = watch(server.asyncStub(), WatchExecutionsRequest.newBuilder().setSuccess(false).build(),
        false);

    runs.run("A", "profiling", 1, true, 1, List.of(), List.of());
    runs.run("B", "ingestion", 2, false, 1, List.of(), List.of());
    runs.run("A", "ingestion", 3, true, 1, List.of(), List.of());
    runs.run("C", "profiling", 4, false, 1, List.of(), List.of());

    assertEquals(1, byTask.next().getChange().getExecution().getRecordTime().getSeconds() - FlowRuns.DAY0);
    assertEquals(3, byTask.next().getChange().getExecution().getRecordTime().getSeconds() - FlowRuns.DAY0);
    assertTrue(byTask.quiet());
    assertEquals("B", byType.next().getChange().getExecution().getTaskId());
    assertEquals("A", byType.next().getChange().getExecution().getTaskId());
    assertTrue(byType.quiet());
    assertEquals("B", failures.next().getChange().getExecution().getTaskId());
    assertEquals("C", failures.next().getChange().getExecution().getTaskId());
    assertTrue(failures.quiet());
  }

  @Test
  void watchExecutions_cleanup_showsRemovals() throws Exception {
    for (int i = 0; i < 3; i++) {
      runs.run("A", i, List.of(), List.of());
    }
    WatchProbe probe = watch(server.asyncStub(), WatchExecutionsRequest.getDefaultInstance(), false);
    server.stub().cleanupExecutions(CleanupExecutionsRequest.newBuilder().setMaxAgeDays(100_000)
        .setMaxRunsPerTask(1).setRule(CleanupRule.CLEANUP_RULE_OLD_OR_BEYOND_COUNT).build()).forEachRemaining(r -> { });
    assertEquals(ChangeKind.CHANGE_KIND_REMOVED, probe.next().getChange().getKind());
    assertEquals(ChangeKind.CHANGE_KIND_REMOVED, probe.next().getChange().getKind());
    assertTrue(probe.quiet());
  }

  @Test
  void watchExecutions_readerFallsBehind_getsLaggedThenResourceExhausted() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(4);
    String name = InProcessServerBuilder.generateName();
    Path root = server.root().resolve("lagging");
    try (ExecLogServer small = ExecLogServer.start(ServerConfig.forProject(root),
        InProcessServerBuilder.forName(name).executor(executor), 4)) {
      ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
      try {
        ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub stub =
            ExecutionLogServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
        WatchProbe slow = new WatchProbe(true); // reads the first message only, until told
        ExecutionLogServiceGrpc.newStub(channel).watchExecutions(WatchExecutionsRequest.getDefaultInstance(), slow);
        WatchStarted started = slow.next().getStarted();
        long start = started.getSequence();

        FlowRuns writer = new FlowRuns(stub);
        long began = System.nanoTime();
        for (int i = 0; i < 30; i++) {
          writer.run("T", i, List.of(), List.of());
        }
        long millis = (System.nanoTime() - began) / 1_000_000;
        assertTrue(millis < 10_000, "writers were not held up: " + millis + " ms");

        slow.request(1000);
        long last = start;
        WatchExecutionsResponse m = slow.next();
        while (m.hasChange()) {
          assertEquals(last + 1, m.getChange().getSequence(), "delivered changes have no gaps");
          last = m.getChange().getSequence();
          m = slow.next();
        }
        assertTrue(m.hasLagged(), "ends with lagged: " + m);
        assertEquals(last, m.getLagged().getLastDeliveredSequence());
        assertTrue(last - start <= 5, "at most the queue (4) and one in flight were delivered: " + (last - start));
        StatusRuntimeException end = slow.error();
        ErrorDetails.assertReason(end, Status.Code.RESOURCE_EXHAUSTED, "WATCH_LAGGED",
            Map.of("last_sequence", Long.toString(last)));
        assertTrue(end.getStatus().getDescription().contains("ListExecutions"), end.getStatus().getDescription());
        // The history has every run, to resume from.
        assertEquals(30, stub.listExecutions(ListExecutionsRequest.newBuilder().setTaskId("T").build())
            .getExecutionsCount());
        // The feed keeps only its latest 4 changes: a resume from so far back starts now, and says so.
        WatchProbe late = new WatchProbe(false);
        ExecutionLogServiceGrpc.newStub(channel).watchExecutions(WatchExecutionsRequest.newBuilder()
            .setAfterSequence(last).setFeedId(started.getFeedId()).build(), late);
        WatchStarted restarted = late.next().getStarted();
        assertFalse(restarted.getResumed());
        assertEquals(start + 30, restarted.getSequence());
        late.cancel();
      } finally {
        channel.shutdownNow();
      }
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void watchExecutions_serverCloses_endsTheStreamPromptlyWithUnavailable() throws Exception {
    ExecutorService executor = Executors.newFixedThreadPool(4);
    String name = InProcessServerBuilder.generateName();
    ExecLogServer other = ExecLogServer.start(ServerConfig.forProject(server.root().resolve("closing")),
        InProcessServerBuilder.forName(name).executor(executor));
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      WatchProbe probe = watch(ExecutionLogServiceGrpc.newStub(channel), WatchExecutionsRequest.getDefaultInstance(),
          false);
      long began = System.nanoTime();
      other.close();
      assertTrue((System.nanoTime() - began) / 1_000_000 < 5_000, "an open watch does not hold up shutdown");
      assertEquals(Status.Code.UNAVAILABLE, probe.error().getStatus().getCode());
    } finally {
      channel.shutdownNow();
      executor.shutdownNow();
    }
  }
}
