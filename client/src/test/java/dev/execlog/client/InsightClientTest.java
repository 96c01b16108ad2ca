package dev.execlog.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.client.model.DependencyOptions;
import dev.execlog.client.model.DependencyReport;
import dev.execlog.client.model.ExecutionChange;
import dev.execlog.client.model.LineageGraph;
import dev.execlog.client.model.LineageQuery;
import dev.execlog.client.model.NewRun;
import dev.execlog.client.model.Run;
import dev.execlog.client.model.StatisticsQuery;
import dev.execlog.client.model.StatisticsReport;
import dev.execlog.client.model.WatchFilter;
import io.grpc.Status;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lineage, statistics, the richer dependency check and watch through the Java client. */
class InsightClientTest {

  private static final Instant DAY0 = Instant.parse("2023-11-14T00:00:00Z");

  @RegisterExtension
  final InProcessLogServer log = new InProcessLogServer();

  private ExecutionLogClient client;

  @BeforeEach
  void connect() {
    client = log.client();
  }

  private Run run(String task, long minutes, double seconds, boolean success, String in, String out) {
    NewRun.Builder b = NewRun.builder(task, "profiling").seconds(seconds).success(success)
        .recordTime(DAY0.plusSeconds(minutes * 60));
    if (in != null) {
      b.input("in", in);
    }
    if (out != null) {
      b.output(out);
    }
    return client.record(b.build());
  }

  @Test
  void lineage_chain_returnsNodesAndEdgesWithJavaTypes() {
    Run a = run("A", 1, 1, true, null, "DATA/a.csv");
    Run b = run("B", 2, 1, true, "DATA/a.csv", "DATA/b.csv");
    run("C", 3, 1, true, "DATA/b.csv", "DATA/c.csv");

    LineageGraph tasks = client.lineage(LineageQuery.ofTask("C").withDirection(LineageQuery.Direction.UPSTREAM));
    assertEquals("task:C", tasks.startNodeId());
    assertEquals(List.of("task:C", "task:B", "task:A"), tasks.nodes().stream().map(LineageGraph.Node::id).toList());
    assertEquals(List.of(new LineageGraph.Edge("task:A", "task:B", "DATA/a.csv")), tasks.edgesTo("task:B"));
    assertEquals(LineageGraph.Kind.TASK, tasks.node("task:A").orElseThrow().kind());
    assertEquals("A", tasks.node("task:A").orElseThrow().label());
    assertFalse(tasks.truncated());

    LineageGraph runs = client.lineage(LineageQuery.ofRun(b.runId()).withLevel(LineageQuery.Level.RUN).withDepth(1));
    assertEquals(3, runs.nodes().size());
    assertEquals(a.runId(), runs.node("run:" + a.runId()).orElseThrow().run().orElseThrow().runId());

    LineageGraph file = client.lineage(LineageQuery.ofPath("DATA/b.csv").withDepth(1));
    assertEquals(LineageGraph.Kind.FILE, file.node("file:DATA/b.csv").orElseThrow().kind());
    assertEquals(2, file.edges().size());

    ExecLogClientException e = assertThrows(ExecLogClientException.class,
        () -> client.lineage(LineageQuery.ofTask("A").withDepth(99)));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.code());
    assertEquals("depth", e.field());
  }

  @Test
  void statistics_byDay_returnsFiguresAndBuckets() {
    run("S", 60, 10, true, null, null);
    run("S", 90, 20, false, null, null);
    run("S", 24 * 60 + 60, 60, true, null, null);
    StatisticsReport r = client.statistics(StatisticsQuery.task("S").by(StatisticsQuery.Bucket.DAY));
    assertEquals(3, r.total().overall().runCount());
    assertEquals(2.0 / 3, r.total().overall().successRate(), 1e-12);
    assertEquals(Optional.of(Duration.ofSeconds(30)), r.total().overall().mean());
    assertEquals(Optional.of(Duration.ofSeconds(20)), r.total().overall().p50());
    assertEquals(Optional.of(Duration.ofSeconds(60)), r.total().overall().max());
    assertEquals(2, r.total().buckets().size());
    assertEquals(DAY0, r.total().buckets().get(0).start());
    assertEquals(Optional.of(Duration.ofSeconds(15)), r.total().buckets().get(0).figures().mean());

    StatisticsReport all = client.statistics(StatisticsQuery.allTasks().between(DAY0, DAY0.plusSeconds(86400)));
    assertEquals(2, all.total().overall().runCount());
    assertEquals(List.of("S"), all.tasks().stream().map(t -> t.taskId()).toList());
  }

  @Test
  void checkDependencies_withOptions_reportsStaleAndMissingOutputs() throws Exception {
    Instant now = Instant.now();
    client.record(NewRun.builder("A", "ingestion").recordTime(now.minusSeconds(300)).output("DATA/a.csv").build());
    client.record(NewRun.builder("ME", "profiling").recordTime(now.minusSeconds(100)).build());

    DependencyReport stale = client.checkDependencies(List.of("A"), DependencyOptions.defaults().newerThanTask("ME"));
    assertEquals(DependencyReport.State.STALE, stale.dependencies().get(0).state());
    assertFalse(stale.satisfied());

    DependencyReport missing = client.checkDependencies(List.of("A"),
        DependencyOptions.defaults().requireOutputsExist(true));
    assertEquals(DependencyReport.State.OUTPUTS_MISSING, missing.dependencies().get(0).state());
    assertEquals(List.of("DATA/a.csv"), missing.dependencies().get(0).missingOutputPaths());

    Files.createDirectories(log.root().resolve("DATA"));
    Files.writeString(log.root().resolve("DATA/a.csv"), "x");
    assertTrue(client.checkDependencies(List.of("A"), DependencyOptions.defaults().requireOutputsExist(true)
        .maxAge(Duration.ofHours(1))).satisfied());
  }

  @Test
  void watch_iteratesChangesInOrderUntilClosed() throws Exception {
    try (ExecutionWatch watch = client.watch(new WatchFilter("W", null, null))) {
      Run first = run("W", 1, 1, true, null, null);
      run("other", 2, 1, true, null, null);
      client.delete(first.runId());

      assertTrue(watch.hasNext());
      ExecutionChange recorded = watch.next();
      assertEquals(ExecutionChange.Kind.RECORDED, recorded.kind());
      assertEquals(first.runId(), recorded.run().runId());
      ExecutionChange removed = watch.next();
      assertEquals(ExecutionChange.Kind.REMOVED, removed.kind());
      assertEquals(recorded.sequence() + 2, removed.sequence(), "the other task's change is filtered out");
      assertEquals(removed.sequence(), watch.lastDeliveredSequence());

      // Closing from another thread releases a reader blocked in hasNext().
      Executors.newSingleThreadScheduledExecutor().schedule(watch::close, 200, TimeUnit.MILLISECONDS);
      assertFalse(watch.hasNext());
    }
  }
}
