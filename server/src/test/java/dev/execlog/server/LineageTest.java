package dev.execlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.v1.GetLineageRequest;
import dev.execlog.v1.GetLineageResponse;
import dev.execlog.v1.LineageDirection;
import dev.execlog.v1.LineageEdge;
import dev.execlog.v1.LineageLevel;
import dev.execlog.v1.LineageNode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GetLineage on graphs of known shape, checked node for node (with distance) and edge for edge. */
class LineageTest {

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  private FlowRuns runs;

  @BeforeEach
  void setUp() {
    runs = new FlowRuns(server.stub());
  }

  private static final LineageDirection UP = LineageDirection.LINEAGE_DIRECTION_UPSTREAM;
  private static final LineageDirection DOWN = LineageDirection.LINEAGE_DIRECTION_DOWNSTREAM;
  private static final LineageDirection BOTH = LineageDirection.LINEAGE_DIRECTION_BOTH;
  private static final LineageLevel TASK = LineageLevel.LINEAGE_LEVEL_TASK;
  private static final LineageLevel RUN = LineageLevel.LINEAGE_LEVEL_RUN;

  private GetLineageResponse lineage(GetLineageRequest.Builder b, LineageDirection d, LineageLevel level, int depth) {
    return server.stub().getLineage(b.setDirection(d).setLevel(level).setDepth(depth).build());
  }

  private static GetLineageRequest.Builder task(String id) {
    return GetLineageRequest.newBuilder().setTaskId(id);
  }

  private static GetLineageRequest.Builder run(String id) {
    return GetLineageRequest.newBuilder().setRunId(id);
  }

  private static GetLineageRequest.Builder path(String p) {
    return GetLineageRequest.newBuilder().setPath(p);
  }

  /** Node id to distance. */
  private static Map<String, Integer> nodes(GetLineageResponse g) {
    Map<String, Integer> m = new TreeMap<>();
    for (LineageNode n : g.getNodesList()) {
      m.put(n.getId(), n.getDistance());
    }
    return m;
  }

  /** Edges as "source -> target : path". */
  private static Set<String> edges(GetLineageResponse g) {
    Set<String> s = new TreeSet<>();
    for (LineageEdge e : g.getEdgesList()) {
      s.add(e.getSourceNodeId() + " -> " + e.getTargetNodeId() + " : " + e.getPath());
    }
    return s;
  }

  private void chain() {
    runs.run("A", 100, List.of(), List.of("DATA/a.csv"));
    runs.run("B", 200, List.of("DATA/a.csv"), List.of("DATA/b.csv"));
    runs.run("C", 300, List.of("DATA/b.csv"), List.of("DATA/c.csv"));
  }

  @Test
  void getLineage_chainUpstreamFromTask_listsEveryTaskAndLink() {
    chain();
    GetLineageResponse g = lineage(task("C"), UP, TASK, 0);
    assertEquals("task:C", g.getStartNodeId());
    assertEquals(Map.of("task:C", 0, "task:B", 1, "task:A", 2), nodes(g));
    assertEquals(Set.of("task:A -> task:B : DATA/a.csv", "task:B -> task:C : DATA/b.csv"), edges(g));
    assertFalse(g.getTruncated());
    LineageNode a = g.getNodesList().stream().filter(n -> n.getId().equals("task:A")).findFirst().orElseThrow();
    assertEquals("A", a.getTask().getTaskId());
    assertEquals(1, a.getTask().getRunCount());
  }

  @Test
  void getLineage_chainDownstreamFromTask_isTheSameChain() {
    chain();
    GetLineageResponse g = lineage(task("A"), DOWN, TASK, 0);
    assertEquals(Map.of("task:A", 0, "task:B", 1, "task:C", 2), nodes(g));
    assertEquals(Set.of("task:A -> task:B : DATA/a.csv", "task:B -> task:C : DATA/b.csv"), edges(g));
  }

  @Test
  void getLineage_bothFromMiddleRun_walksEachWayAtRunLevel() {
    String a = runs.run("A", 100, List.of(), List.of("DATA/a.csv"));
    String b = runs.run("B", 200, List.of("DATA/a.csv"), List.of("DATA/b.csv"));
    String c = runs.run("C", 300, List.of("DATA/b.csv"), List.of("DATA/c.csv"));
    GetLineageResponse g = lineage(run(b), BOTH, RUN, 0);
    assertEquals("run:" + b, g.getStartNodeId());
    assertEquals(Map.of("run:" + a, 1, "run:" + b, 0, "run:" + c, 1), nodes(g));
    assertEquals(Set.of("run:" + a + " -> run:" + b + " : DATA/a.csv", "run:" + b + " -> run:" + c + " : DATA/b.csv"),
        edges(g));
    LineageNode start = g.getNodesList().get(0);
    assertEquals(b, start.getRun().getRunId());
    assertEquals("B", start.getRun().getTaskId());
  }

  @Test
  void getLineage_diamond_joinsAtTheSink() {
    runs.run("A", 100, List.of(), List.of("DATA/a1.csv", "DATA/a2.csv"));
    runs.run("B", 200, List.of("DATA/a1.csv"), List.of("DATA/b.csv"));
    runs.run("C", 210, List.of("DATA/a2.csv"), List.of("DATA/c.csv"));
    runs.run("D", 300, List.of("DATA/b.csv", "DATA/c.csv"), List.of("DATA/d.csv"));
    Set<String> diamond = Set.of("task:A -> task:B : DATA/a1.csv", "task:A -> task:C : DATA/a2.csv",
        "task:B -> task:D : DATA/b.csv", "task:C -> task:D : DATA/c.csv");

    GetLineageResponse down = lineage(task("A"), DOWN, TASK, 0);
    assertEquals(Map.of("task:A", 0, "task:B", 1, "task:C", 1, "task:D", 2), nodes(down));
    assertEquals(diamond, edges(down));
    GetLineageResponse up = lineage(task("D"), UP, TASK, 0);
    assertEquals(Map.of("task:D", 0, "task:B", 1, "task:C", 1, "task:A", 2), nodes(up));
    assertEquals(diamond, edges(up));
  }

  @Test
  void getLineage_reRunsMakeATaskCycle_walkEndsAndRunLevelUnrollsIt() {
    String a1 = runs.run("A", 100, List.of(), List.of("DATA/x.csv"));
    String b1 = runs.run("B", 200, List.of("DATA/x.csv"), List.of("DATA/y.csv"));
    String a2 = runs.run("A", 300, List.of("DATA/y.csv"), List.of("DATA/x.csv"));
    String b2 = runs.run("B", 400, List.of("DATA/x.csv"), List.of("DATA/y.csv"));

    GetLineageResponse tasks = lineage(task("A"), BOTH, TASK, 50);
    assertEquals(Map.of("task:A", 0, "task:B", 1), nodes(tasks));
    assertEquals(Set.of("task:A -> task:B : DATA/x.csv", "task:B -> task:A : DATA/y.csv"), edges(tasks));

    GetLineageResponse unrolled = lineage(run(b2), UP, RUN, 50);
    assertEquals(Map.of("run:" + b2, 0, "run:" + a2, 1, "run:" + b1, 2, "run:" + a1, 3), nodes(unrolled));
    assertEquals(Set.of("run:" + a2 + " -> run:" + b2 + " : DATA/x.csv", "run:" + b1 + " -> run:" + a2 + " : DATA/y.csv",
        "run:" + a1 + " -> run:" + b1 + " : DATA/x.csv"), edges(unrolled));
  }

  @Test
  void getLineage_fileReProducedLater_readersLinkToTheProducerBeforeThem() {
    String p1 = runs.run("P", 100, List.of(), List.of("DATA/f.csv"));
    String c1 = runs.run("C1", 150, List.of("DATA/f.csv"), List.of());
    String p2 = runs.run("P", 200, List.of(), List.of("DATA/f.csv"));
    String c2 = runs.run("C2", 250, List.of("./DATA/f.csv"), List.of());

    assertEquals(Set.of("run:" + p1 + " -> run:" + c1 + " : DATA/f.csv"), edges(lineage(run(p1), DOWN, RUN, 0)));
    assertEquals(Set.of("run:" + p2 + " -> run:" + c2 + " : DATA/f.csv"), edges(lineage(run(p2), DOWN, RUN, 0)));
    assertEquals(Set.of("run:" + p1 + " -> run:" + c1 + " : DATA/f.csv"), edges(lineage(run(c1), UP, RUN, 0)));
    assertEquals(Set.of("run:" + p2 + " -> run:" + c2 + " : DATA/f.csv"), edges(lineage(run(c2), UP, RUN, 0)));
    // A reader at the very time of the next producer did not see it: it was not strictly before.
    String c3 = runs.run("C3", 200, List.of("DATA/f.csv"), List.of());
    assertEquals(Set.of("run:" + p1 + " -> run:" + c3 + " : DATA/f.csv"), edges(lineage(run(c3), UP, RUN, 0)));
  }

  @Test
  void getLineage_fromFile_newestProducerUpstreamAndEveryReaderDownstream() {
    String p1 = runs.run("P", 100, List.of(), List.of("DATA/f.csv"));
    String c1 = runs.run("C1", 150, List.of("DATA/f.csv"), List.of());
    String p2 = runs.run("P", 200, List.of("DATA/raw.csv"), List.of("DATA/f.csv"));
    String c2 = runs.run("C2", 250, List.of("DATA/f.csv"), List.of());

    GetLineageResponse g = lineage(path(server.root().resolve("DATA/f.csv").toString()), BOTH, RUN, 0);
    assertEquals("file:DATA/f.csv", g.getStartNodeId());
    assertEquals(Map.of("file:DATA/f.csv", 0, "run:" + p2, 1, "run:" + c1, 1, "run:" + c2, 1), nodes(g));
    assertEquals(Set.of("run:" + p2 + " -> file:DATA/f.csv : DATA/f.csv", "file:DATA/f.csv -> run:" + c1 + " : DATA/f.csv",
        "file:DATA/f.csv -> run:" + c2 + " : DATA/f.csv"), edges(g));
    assertEquals("DATA/f.csv", g.getNodes(0).getPath());
    assertFalse(nodes(g).containsKey("run:" + p1));

    GetLineageResponse tasks = lineage(path("DATA/f.csv"), BOTH, TASK, 0);
    assertEquals(Map.of("file:DATA/f.csv", 0, "task:P", 1, "task:C1", 1, "task:C2", 1), nodes(tasks));
    assertEquals(Set.of("task:P -> file:DATA/f.csv : DATA/f.csv", "file:DATA/f.csv -> task:C1 : DATA/f.csv",
        "file:DATA/f.csv -> task:C2 : DATA/f.csv"), edges(tasks));
  }

  @Test
  void getLineage_runLevelFromTask_startsAtItsNewestRun() {
    runs.run("A", 100, List.of(), List.of("DATA/a.csv"));
    String a2 = runs.run("A", 150, List.of(), List.of("DATA/a.csv"));
    String b = runs.run("B", 200, List.of("DATA/a.csv"), List.of());
    GetLineageResponse g = lineage(task("A"), DOWN, RUN, 0);
    assertEquals("run:" + a2, g.getStartNodeId());
    assertEquals(Set.of("run:" + a2 + " -> run:" + b + " : DATA/a.csv"), edges(g));
  }

  @Test
  void getLineage_depthLimit_stopsAfterThatManyHops() {
    for (int i = 0; i < 5; i++) {
      runs.run("T" + i, 100 + i, i == 0 ? List.of() : List.of("DATA/" + (i - 1) + ".csv"), List.of("DATA/" + i + ".csv"));
    }
    GetLineageResponse two = lineage(task("T0"), DOWN, TASK, 2);
    assertEquals(Map.of("task:T0", 0, "task:T1", 1, "task:T2", 2), nodes(two));
    assertEquals(Set.of("task:T0 -> task:T1 : DATA/0.csv", "task:T1 -> task:T2 : DATA/1.csv"), edges(two));
    assertEquals(5, lineage(task("T0"), DOWN, TASK, 0).getNodesCount());
    assertEquals(2, lineage(task("T4"), UP, TASK, 1).getNodesCount());
  }

  @Test
  void getLineage_depthCutsTheChain_saysTruncated_butNotWhenNothingLiesBeyond() {
    for (int i = 0; i < 8; i++) {
      runs.run("T" + i, 100 + i, i == 0 ? List.of() : List.of("DATA/" + (i - 1) + ".csv"), List.of("DATA/" + i + ".csv"));
    }
    GetLineageResponse cut = lineage(task("T0"), DOWN, TASK, 0);
    assertEquals(6, cut.getNodesCount(), "the default depth, 5, reaches T5");
    assertTrue(cut.getTruncated(), "T6 and T7 lie beyond the default depth");
    GetLineageResponse whole = lineage(task("T0"), DOWN, TASK, 7);
    assertEquals(8, whole.getNodesCount());
    assertFalse(whole.getTruncated(), "depth 7 reaches the end of the chain");
    assertFalse(lineage(task("T4"), UP, TASK, 4).getTruncated(), "T0 has no producer");
    assertTrue(lineage(task("T4"), UP, TASK, 3).getTruncated());
    assertTrue(lineage(task("T3"), BOTH, RUN, 2).getTruncated());
    assertFalse(lineage(task("T3"), BOTH, RUN, 4).getTruncated());
  }

  @Test
  void getLineage_nodeCap_truncatesAndKeepsEdgesBetweenListedNodes() {
    chain();
    GetLineageResponse g = server.stub().getLineage(task("A").setDirection(DOWN).setMaxNodes(2).build());
    assertTrue(g.getTruncated());
    assertEquals(Map.of("task:A", 0, "task:B", 1), nodes(g));
    assertEquals(Set.of("task:A -> task:B : DATA/a.csv"), edges(g));
  }

  @Test
  void getLineage_badRequests_nameTheField() {
    chain();
    StatusRuntimeException depth = assertThrows(StatusRuntimeException.class,
        () -> lineage(task("A"), UP, TASK, 51));
    assertEquals(Status.Code.INVALID_ARGUMENT, depth.getStatus().getCode());
    assertTrue(depth.getStatus().getDescription().startsWith("depth"));
    StatusRuntimeException none = assertThrows(StatusRuntimeException.class,
        () -> server.stub().getLineage(GetLineageRequest.getDefaultInstance()));
    assertEquals(Status.Code.INVALID_ARGUMENT, none.getStatus().getCode());
    StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
        () -> lineage(task("nope"), UP, TASK, 0));
    assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
    StatusRuntimeException file = assertThrows(StatusRuntimeException.class,
        () -> lineage(path("DATA/none.csv"), UP, TASK, 0));
    assertEquals(Status.Code.NOT_FOUND, file.getStatus().getCode());
  }
}
