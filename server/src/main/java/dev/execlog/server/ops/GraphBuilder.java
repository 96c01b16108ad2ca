package dev.execlog.server.ops;

import dev.execlog.server.store.LogView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Collects the nodes and edges of a lineage walk under caps, keeping each node's fewest hops. */
final class GraphBuilder {

  private final int maxNodes;
  private final int maxEdges;
  private final Map<String, LineageWalker.Ref> refs = new LinkedHashMap<>();
  private final Map<String, Integer> distances = new LinkedHashMap<>();
  private final Set<LineageGraph.Edge> edges = new LinkedHashSet<>();
  private boolean truncated;

  GraphBuilder(int maxNodes, int maxEdges) {
    this.maxNodes = maxNodes;
    this.maxEdges = maxEdges;
  }

  /** Adds the node or lowers its distance; false (and truncated) when the node cap is reached. */
  boolean add(LineageWalker.Ref ref, int distance) {
    Integer known = distances.get(ref.id());
    if (known != null) {
      distances.put(ref.id(), Math.min(known, distance));
      return true;
    }
    if (refs.size() >= maxNodes) {
      truncated = true;
      return false;
    }
    refs.put(ref.id(), ref);
    distances.put(ref.id(), distance);
    return true;
  }

  /** Adds the edge once; false (and truncated) when the edge cap is reached. */
  boolean link(LineageWalker.Ref source, LineageWalker.Ref target, String path) {
    LineageGraph.Edge edge = new LineageGraph.Edge(source.id(), target.id(), path);
    if (edges.contains(edge)) {
      return true;
    }
    if (edges.size() >= maxEdges) {
      truncated = true;
      return false;
    }
    edges.add(edge);
    return true;
  }

  /** Says the graph is a part of the answer: the walk stopped at its depth with more beyond. */
  void markTruncated() {
    truncated = true;
  }

  /** The graph in a stable order; task nodes get their summary from the same view. */
  LineageGraph build(String startId, LogView view) {
    List<LineageGraph.Node> nodes = new ArrayList<>(refs.size());
    for (LineageWalker.Ref r : refs.values()) {
      int d = distances.get(r.id());
      nodes.add(r.taskId() != null
          ? new LineageGraph.Node(r.id(), d, view.summary(r.taskId()), null, null)
          : new LineageGraph.Node(r.id(), d, null, r.run(), r.path()));
    }
    nodes.sort(Comparator.comparingInt(LineageGraph.Node::distance).thenComparing(LineageGraph.Node::id));
    List<LineageGraph.Edge> sorted = new ArrayList<>(edges);
    sorted.sort(Comparator.comparing(LineageGraph.Edge::source).thenComparing(LineageGraph.Edge::target)
        .thenComparing(LineageGraph.Edge::path));
    return new LineageGraph(startId, nodes, sorted, truncated);
  }
}
