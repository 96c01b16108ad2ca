package dev.execlog.cli;

import dev.execlog.client.model.LineageGraph;
import dev.execlog.client.model.LineageGraph.Edge;
import dev.execlog.client.model.LineageGraph.Node;
import dev.execlog.client.model.LineageQuery.Direction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A lineage graph as an indented text tree: the start node, then what it came from (upstream) and
 * what came of it (downstream), each child labelled with the files that link it. A node reached a
 * second time (graphs are DAGs, task graphs may have cycles) is marked {@code (*)} and not repeated.
 */
final class LineageTree {

  private final LineageGraph graph;
  private final StringBuilder out = new StringBuilder();
  private boolean repeated;

  private LineageTree(LineageGraph graph) {
    this.graph = graph;
  }

  static String render(LineageGraph graph, Direction direction) {
    return new LineageTree(graph).draw(direction);
  }

  private String draw(Direction direction) {
    Node start = graph.node(graph.startNodeId()).orElseThrow(
        () -> new IllegalStateException("the graph lacks its start node " + graph.startNodeId()));
    out.append(start.label()).append(details(start)).append('\n');
    if (direction != Direction.DOWNSTREAM) {
      section("upstream (where its inputs came from)", start, true);
    }
    if (direction != Direction.UPSTREAM) {
      section("downstream (what read its outputs)", start, false);
    }
    if (repeated) {
      out.append("(*) shown above\n");
    }
    return out.toString();
  }

  private void section(String title, Node start, boolean upstream) {
    Map<Node, List<String>> children = children(start, upstream);
    out.append(title).append(':').append(children.isEmpty() ? " none\n" : "\n");
    Set<String> expanded = new HashSet<>(Set.of(start.id()));
    branch(children, "", upstream, expanded);
  }

  private void branch(Map<Node, List<String>> children, String indent, boolean upstream, Set<String> expanded) {
    int i = 0;
    for (Map.Entry<Node, List<String>> child : children.entrySet()) {
      boolean last = ++i == children.size();
      Node node = child.getKey();
      boolean again = !expanded.add(node.id());
      repeated |= again;
      out.append(indent).append(last ? "└── " : "├── ").append(node.label())
          .append("  via ").append(String.join(", ", child.getValue()))
          .append(!failed(node) ? "" : node.kind() == LineageGraph.Kind.TASK ? "  [last run FAILED]" : "  [FAILED]")
          .append(again ? " (*)" : "").append('\n');
      if (!again) {
        branch(children(node, upstream), indent + (last ? "    " : "│   "), upstream, expanded);
      }
    }
  }

  /** The neighbours one step away in one direction, each with the paths that link them, in graph order. */
  private Map<Node, List<String>> children(Node node, boolean upstream) {
    Map<Node, List<String>> children = new LinkedHashMap<>();
    List<Edge> edges = upstream ? graph.edgesTo(node.id()) : graph.edgesFrom(node.id());
    for (Edge e : edges) {
      String other = upstream ? e.sourceNodeId() : e.targetNodeId();
      graph.node(other).ifPresent(n -> children.computeIfAbsent(n, k -> new ArrayList<>()).add(e.path()));
    }
    return children;
  }

  private static String details(Node node) {
    return switch (node.kind()) {
      case TASK -> node.task().map(t -> " (task, " + t.taskType() + ", " + t.runCount() + (t.runCount() == 1 ? " run" : " runs") + ", last run "
          + HumanFormat.status(t.lastSuccess()) + ")").orElse(" (task)");
      case RUN -> node.run().map(r -> " (run, " + HumanFormat.status(r.success()) + ", "
          + HumanFormat.duration(r.duration()) + ")").orElse(" (run)");
      case FILE -> " (file)";
    };
  }

  static boolean failed(Node node) {
    return node.task().map(t -> !t.lastSuccess()).orElse(false) || node.run().map(r -> !r.success()).orElse(false);
  }
}
