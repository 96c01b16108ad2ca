package dev.execlog.cli;

import dev.execlog.client.model.LineageGraph;
import dev.execlog.client.model.LineageGraph.Edge;
import dev.execlog.client.model.LineageGraph.Node;

/**
 * A lineage graph in Graphviz's DOT language, left to right, producers before consumers: nodes by
 * their graph id, edges labelled with the linking file. The start node has a thick border, failed
 * tasks and runs are red, files are note-shaped.
 */
final class LineageDot {

  private LineageDot() {}

  static String render(LineageGraph graph) {
    StringBuilder b = new StringBuilder("digraph lineage {\n")
        .append("  rankdir=LR;\n")
        .append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#e8f0fe\", fontname=\"Helvetica\"];\n")
        .append("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    for (Node n : graph.nodes()) {
      b.append("  ").append(quote(n.id())).append(" [label=").append(quote(n.label()));
      if (n.kind() == LineageGraph.Kind.FILE) {
        b.append(", shape=note, fillcolor=\"#fff8e1\"");
      } else if (LineageTree.failed(n)) {
        b.append(", fillcolor=\"#fde2e1\"");
      }
      if (n.id().equals(graph.startNodeId())) {
        b.append(", penwidth=2.5");
      }
      b.append("];\n");
    }
    for (Edge e : graph.edges()) {
      b.append("  ").append(quote(e.sourceNodeId())).append(" -> ").append(quote(e.targetNodeId()))
          .append(" [label=").append(quote(e.path())).append("];\n");
    }
    return b.append("}\n").toString();
  }

  /** A DOT double-quoted string: backslashes and quotes escaped, newlines as DOT line breaks. */
  static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }
}
