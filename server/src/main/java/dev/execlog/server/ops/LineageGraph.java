package dev.execlog.server.ops;

import dev.execlog.server.model.Execution;
import dev.execlog.server.model.TaskSummary;
import java.util.List;

/**
 * A lineage graph: nodes by distance then id, edges by source, target and path, and whether a cap cut
 * the walk short. Every edge joins two listed nodes, so the graph stands on its own.
 */
public record LineageGraph(String startId, List<Node> nodes, List<Edge> edges, boolean truncated) {

  /** A task, run or file node; exactly one of {@code task}, {@code run}, {@code path} is set. */
  public record Node(String id, int distance, TaskSummary task, Execution run, String path) {}

  /** Data flowed from {@code source} to {@code target} through the file {@code path}. */
  public record Edge(String source, String target, String path) {}
}
