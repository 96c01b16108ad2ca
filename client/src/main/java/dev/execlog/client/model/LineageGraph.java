package dev.execlog.client.model;

import java.util.List;
import java.util.Optional;

/**
 * A lineage graph as the server sends it: nodes ordered by distance then id, edges by source, target
 * and path, each edge joining two listed nodes. Edges point from producer to consumer.
 *
 * @param truncated the walk stopped at a node or edge cap: the graph is a part of the answer
 */
public record LineageGraph(String startNodeId, List<Node> nodes, List<Edge> edges, boolean truncated) {

  /** What a node stands for. */
  public enum Kind { TASK, RUN, FILE }

  /**
   * A node: {@code task} is set for TASK nodes, {@code run} for RUN nodes, {@code path} (else empty)
   * for FILE nodes. Ids are {@code task:<id>}, {@code run:<id>} or {@code file:<path>}.
   *
   * @param distance fewest hops from the start node
   */
  public record Node(String id, int distance, Kind kind, Optional<TaskSummary> task, Optional<Run> run, String path) {

    /** A short name for people: the task id, the run's task and id, or the path. */
    public String label() {
      return switch (kind) {
        case TASK -> task.map(TaskSummary::taskId).orElse(id);
        case RUN -> run.map(r -> r.taskId() + " " + r.runId()).orElse(id);
        case FILE -> path;
      };
    }
  }

  /** Data flowed from {@code sourceNodeId} to {@code targetNodeId} through the file {@code path}. */
  public record Edge(String sourceNodeId, String targetNodeId, String path) {}

  public Optional<Node> node(String id) {
    return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
  }

  /** Edges leaving a node (towards its consumers). */
  public List<Edge> edgesFrom(String nodeId) {
    return edges.stream().filter(e -> e.sourceNodeId().equals(nodeId)).toList();
  }

  /** Edges entering a node (from its producers). */
  public List<Edge> edgesTo(String nodeId) {
    return edges.stream().filter(e -> e.targetNodeId().equals(nodeId)).toList();
  }
}
