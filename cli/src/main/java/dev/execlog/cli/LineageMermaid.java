package dev.execlog.cli;

import dev.execlog.client.model.LineageGraph;
import dev.execlog.client.model.LineageGraph.Edge;
import dev.execlog.client.model.LineageGraph.Node;
import java.util.HashMap;
import java.util.Map;

/**
 * A lineage graph as a Mermaid flowchart (left to right), for Markdown that renders Mermaid. Node
 * ids are {@code n0, n1, ...} in graph order (Mermaid ids cannot hold paths); labels carry the names.
 */
final class LineageMermaid {

  private LineageMermaid() {}

  static String render(LineageGraph graph) {
    StringBuilder b = new StringBuilder("flowchart LR\n");
    Map<String, String> ids = new HashMap<>();
    for (Node n : graph.nodes()) {
      String id = "n" + ids.size();
      ids.put(n.id(), id);
      String label = quote(n.label());
      b.append("  ").append(id).append(n.kind() == LineageGraph.Kind.FILE ? "[/" + label + "/]" : "[" + label + "]")
          .append('\n');
    }
    for (Edge e : graph.edges()) {
      b.append("  ").append(ids.get(e.sourceNodeId())).append(" -->|").append(quote(e.path())).append("| ")
          .append(ids.get(e.targetNodeId())).append('\n');
    }
    b.append("  classDef start stroke-width:3px\n").append("  classDef failed fill:#fde2e1\n");
    b.append("  class ").append(ids.get(graph.startNodeId())).append(" start\n");
    for (Node n : graph.nodes()) {
      if (LineageTree.failed(n)) {
        b.append("  class ").append(ids.get(n.id())).append(" failed\n");
      }
    }
    return b.toString();
  }

  /** A Mermaid quoted label; a double quote becomes the entity {@code #quot;}. */
  private static String quote(String s) {
    return '"' + s.replace("\"", "#quot;") + '"';
  }
}
