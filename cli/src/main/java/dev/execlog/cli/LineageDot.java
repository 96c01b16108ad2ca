package dev.execlog.cli;

import dev.execlog.client.model.LineageGraph;
import dev.execlog.client.model.LineageGraph.Edge;
import dev.execlog.client.model.LineageGraph.Node;
import dev.execlog.client.model.Run;
import dev.execlog.client.model.TaskSummary;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A lineage graph in Graphviz's DOT language, left to right, producers before consumers, made to
 * stay readable at pipeline scale:
 *
 * <ul>
 *   <li>one arrow per pair of nodes, however many files link them: labelled with the file's name,
 *       or "N files" (unlabelled above {@value #MAX_LABELLED_LINKS} arrows, thicker for more files);
 *       the full paths are the arrow's tooltip (shown on hover in SVG);
 *   <li>short node labels: task ids; runs as task, the first 8 characters of the run id and the
 *       day; files without the folder all of them share;
 *   <li>a title with what was asked and the time range of the runs, a legend of the colours, and
 *       an honest note when the server says the graph is only a part of the answer.
 * </ul>
 */
final class LineageDot {

  static final String SUCCEEDED = "#e8f0fe";
  static final String FAILED = "#fde2e1";
  static final String FILE = "#fff8e1";
  /** Above this many arrows their labels would bury the graph: the files are in the tooltips only. */
  static final int MAX_LABELLED_LINKS = 30;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);

  private LineageDot() {}

  /** The graph without a title line of its own: the legend and the time range only. */
  static String render(LineageGraph graph) {
    return render(graph, null);
  }

  /** @param title what was asked, such as "Lineage of task t_1I, downstream"; null for none */
  static String render(LineageGraph graph, String title) {
    String prefix = commonFolder(graph);
    StringBuilder b = new StringBuilder("digraph lineage {\n")
        .append("  rankdir=LR;\n")
        .append("  graph [fontname=\"Helvetica\", labelloc=t, labeljust=l, nodesep=0.2, ranksep=0.7,\n")
        .append("    label=<").append(heading(graph, title, prefix)).append(">];\n")
        .append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"" + SUCCEEDED
            + "\", fontname=\"Helvetica\"];\n")
        .append("  edge [fontname=\"Helvetica\", fontsize=10, color=\"#5f6368\"];\n");
    for (Node n : graph.nodes()) {
      b.append("  ").append(quote(n.id())).append(" [label=").append(quote(label(n, prefix)));
      if (n.kind() == LineageGraph.Kind.FILE) {
        b.append(", shape=note, fillcolor=\"" + FILE + "\"");
      } else if (LineageTree.failed(n)) {
        b.append(", fillcolor=\"" + FAILED + "\"");
      }
      if (n.id().equals(graph.startNodeId())) {
        b.append(", penwidth=2.5");
      }
      b.append(", tooltip=").append(quote(tooltip(n))).append("];\n");
    }
    List<Link> links = links(graph);
    boolean labelled = links.size() <= MAX_LABELLED_LINKS;
    for (Link link : links) {
      b.append("  ").append(quote(link.source)).append(" -> ").append(quote(link.target))
          .append(" [label=").append(quote(labelled ? link.label() : ""));
      if (link.paths.size() > 1) {
        b.append(", penwidth=").append(Math.min(4, 1 + (link.paths.size() - 1) * 0.5));
      }
      b.append(", tooltip=").append(quote(String.join("\n", link.paths))).append("];\n");
    }
    return b.append("}\n").toString();
  }

  /** The arrows drawn: the graph's edges with parallel ones (same source and target) merged. */
  static List<Link> links(LineageGraph graph) {
    Map<String, Link> links = new LinkedHashMap<>();
    for (Edge e : graph.edges()) {
      links.computeIfAbsent(e.sourceNodeId() + "\n" + e.targetNodeId(), k -> new Link(e.sourceNodeId(),
          e.targetNodeId(), new ArrayList<>())).paths.add(e.path());
    }
    return List.copyOf(links.values());
  }

  /** One arrow: the files that link {@code source} to {@code target}. */
  record Link(String source, String target, List<String> paths) {
    String label() {
      return paths.size() == 1 ? fileName(paths.get(0)) : paths.size() + " files";
    }
  }

  /** The short label of a node. */
  static String label(Node n, String prefix) {
    return switch (n.kind()) {
      case TASK -> n.label();
      case RUN -> n.run().map(r -> r.taskId() + "\n" + r.runId().substring(0, Math.min(8, r.runId().length()))
          + " · " + SHORT.format(r.recordTime())).orElse(n.id());
      case FILE -> shortPath(n.path(), prefix);
    };
  }

  private static String tooltip(Node n) {
    return switch (n.kind()) {
      case TASK -> n.task().map(t -> t.taskId() + " (" + t.taskType() + "): " + t.runCount() + " runs, last "
          + DAY.format(t.lastRecordTime()) + " " + (t.lastSuccess() ? "succeeded" : "FAILED")).orElse(n.id());
      case RUN -> n.run().map(r -> r.taskId() + " run " + r.runId() + " at " + r.recordTime() + ", "
          + (r.success() ? "succeeded" : "FAILED")).orElse(n.id());
      case FILE -> n.path();
    };
  }

  /** The title, the time range, the partial-graph note and the legend, as a Graphviz HTML label. */
  private static String heading(LineageGraph graph, String title, String prefix) {
    List<Link> links = links(graph);
    long tasks = graph.nodes().stream().filter(n -> n.kind() == LineageGraph.Kind.TASK).count();
    long runs = graph.nodes().stream().filter(n -> n.kind() == LineageGraph.Kind.RUN).count();
    long files = graph.nodes().stream().filter(n -> n.kind() == LineageGraph.Kind.FILE).count();
    List<String> counts = new ArrayList<>();
    if (tasks > 0) {
      counts.add(tasks + (tasks == 1 ? " task" : " tasks"));
    }
    if (runs > 0) {
      counts.add(runs + (runs == 1 ? " run" : " runs"));
    }
    if (files > 0) {
      counts.add(files + (files == 1 ? " file" : " files"));
    }
    counts.add(links.size() + (links.size() == 1 ? " link" : " links") + " (" + graph.edges().size() + " by file)");
    String range = timeRange(graph);
    StringBuilder h = new StringBuilder("<TABLE BORDER=\"0\" CELLSPACING=\"4\" CELLPADDING=\"3\">");
    if (title != null) {
      h.append(row("<B>" + html(title) + "</B>"));
    }
    h.append(row(html(String.join(", ", counts) + (range == null ? "" : "; " + range))));
    if (!prefix.isEmpty()) {
      h.append(row(html("files under " + prefix)));
    }
    if (graph.truncated()) {
      h.append(row("<FONT COLOR=\"#b3261e\">" + html("PARTIAL: the walk stopped at its depth or node limit;"
          + " more is linked beyond what is drawn") + "</FONT>"));
    }
    h.append("<TR><TD ALIGN=\"LEFT\" COLSPAN=\"4\"><TABLE BORDER=\"0\" CELLSPACING=\"4\"><TR>")
        .append("<TD>Legend:</TD>")
        .append(swatch(SUCCEEDED, "succeeded"))
        .append(swatch(FAILED, tasks > 0 ? "last run failed" : "failed"));
    if (files > 0) {
      h.append(swatch(FILE, "file"));
    }
    h.append("<TD BORDER=\"3\" STYLE=\"rounded\">start</TD>")
        .append("<TD>").append(html(links.size() <= MAX_LABELLED_LINKS ? "→ data flow (label: file, or N files)"
            : "→ data flow (thicker: more files; hover an arrow for its files)")).append("</TD>")
        .append("</TR></TABLE></TD></TR></TABLE>");
    return h.toString();
  }

  private static String row(String cell) {
    return "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"4\">" + cell + "</TD></TR>";
  }

  private static String swatch(String color, String text) {
    return "<TD BGCOLOR=\"" + color + "\" BORDER=\"1\" STYLE=\"rounded\">" + html(text) + "</TD>";
  }

  /** "runs 2026-09-08 to 2026-12-06 (UTC)": the times of the runs drawn, or of the tasks' last runs. */
  static String timeRange(LineageGraph graph) {
    Instant min = null;
    Instant max = null;
    boolean taskLevel = false;
    for (Node n : graph.nodes()) {
      Optional<Instant> t = n.run().map(Run::recordTime);
      if (t.isEmpty()) {
        t = n.task().map(TaskSummary::lastRecordTime);
        taskLevel |= t.isPresent();
      }
      if (t.isPresent() && t.get() != null) {
        min = min == null || t.get().isBefore(min) ? t.get() : min;
        max = max == null || t.get().isAfter(max) ? t.get() : max;
      }
    }
    if (min == null) {
      return null;
    }
    String what = taskLevel ? "last runs " : "runs ";
    return what + (DAY.format(min).equals(DAY.format(max)) ? DAY.format(min)
        : DAY.format(min) + " to " + DAY.format(max)) + " (UTC)";
  }

  /** The folder (ending in '/') every file of the graph lies in, or "" when they share none. */
  static String commonFolder(LineageGraph graph) {
    List<String> paths = new ArrayList<>();
    graph.edges().forEach(e -> paths.add(e.path()));
    graph.nodes().stream().filter(n -> n.kind() == LineageGraph.Kind.FILE).forEach(n -> paths.add(n.path()));
    if (paths.isEmpty()) {
      return "";
    }
    String prefix = paths.get(0);
    for (String p : paths) {
      int i = 0;
      while (i < prefix.length() && i < p.length() && prefix.charAt(i) == p.charAt(i)) {
        i++;
      }
      prefix = prefix.substring(0, i);
    }
    int slash = prefix.lastIndexOf('/');
    return slash < 0 ? "" : prefix.substring(0, slash + 1);
  }

  /** A path without the shared folder; a long one as "…/" and its last two parts. */
  static String shortPath(String path, String prefix) {
    String rest = path.startsWith(prefix) ? path.substring(prefix.length()) : path;
    if (rest.length() <= 40) {
      return rest;
    }
    String[] parts = rest.split("/");
    return parts.length <= 2 ? rest : "…/" + parts[parts.length - 2] + "/" + parts[parts.length - 1];
  }

  static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /** A DOT double-quoted string: backslashes and quotes escaped, newlines as DOT line breaks. */
  static String quote(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
  }

  /** Text inside a Graphviz HTML label. */
  static String html(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
