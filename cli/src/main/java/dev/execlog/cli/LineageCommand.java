package dev.execlog.cli;

import dev.execlog.client.model.LineageGraph;
import dev.execlog.client.model.LineageQuery;
import dev.execlog.client.model.LineageQuery.Direction;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "lineage", mixinStandardHelpOptions = true,
    description = {"Show where a task's, run's or file's data came from and where it went.",
        "Walks the files runs read and wrote: upstream to their producers, downstream to their readers.",
        "Prints a text tree, or with --format the graph as Graphviz DOT, Mermaid, JSON, YAML, or SVG",
        "(drawn by Graphviz's dot)."},
    footer = {"", "Examples:",
        "  execlog lineage --task t_1P",
        "  execlog lineage --path DATA/processed/t_1I/customers.csv \\",
        "    --downstream --depth 2",
        "  execlog lineage --task t_1P --format dot | dot -Tsvg > pipeline.svg",
        "  execlog lineage --run 3f2a --level run --format mermaid -o pipeline.mmd"})
final class LineageCommand extends ServerCommand {

  /** The server's default depth and node cap (GetLineageRequest's documentation). */
  static final int DEFAULT_DEPTH = 5;
  static final int MAX_NODES = 10_000;

  @Override
  List<String> formats() {
    return List.of("tree", "table", "dot", "mermaid", "svg", "json", "yaml");
  }

  /** Exactly one place to start from. */
  static final class Start {
    @Option(names = "--task", paramLabel = "TASK", required = true, description = "Start at this task.")
    String taskId;

    @Option(names = "--run", paramLabel = "RUN_ID", required = true, description = "Start at this run.")
    String runId;

    @Option(names = "--path", paramLabel = "PATH", required = true,
        description = "Start at this file: its producer upstream, its readers downstream.")
    String path;
  }

  /** At most one direction; both by default. */
  static final class Way {
    @Option(names = "--upstream", description = "Only where the data came from.")
    boolean upstream;

    @Option(names = "--downstream", description = "Only where the data went.")
    boolean downstream;

    @Option(names = "--both", description = "Both ways (the default).")
    boolean both;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Start start;

  @ArgGroup(exclusive = true)
  Way way;

  @Option(names = "--depth", paramLabel = "N", defaultValue = "0",
      description = "Hops to walk from the start, 1 to 50 (default: the server's, 5).")
  int depth;

  @Option(names = "--level", paramLabel = "task|run", defaultValue = "task",
      description = "One node per task, or per run (default: ${DEFAULT-VALUE}).")
  LineageQuery.Level level;

  @Option(names = "--max-nodes", paramLabel = "N", defaultValue = "0",
      description = "Stop the walk at this many nodes (default: the server's maximum, 10000).")
  int maxNodes;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of stdout ('-' is stdout).")
  Path output;

  @Override
  ExitCode execute(Session session) {
    if (depth < 0 || maxNodes < 0) {
      throw new CliFailure("lineage", "--depth and --max-nodes must not be negative", ExitCode.USAGE);
    }
    Direction direction = direction();
    LineageQuery query = (start.taskId != null ? LineageQuery.ofTask(start.taskId)
        : start.runId != null ? LineageQuery.ofRun(session.resolveRun(start.runId)) : LineageQuery.ofPath(start.path))
        .withDirection(direction).withDepth(depth).withLevel(level).withMaxNodes(maxNodes);
    String what = "lineage of " + (start.taskId != null ? "task " + start.taskId
        : start.runId != null ? "run " + start.runId : start.path);
    LineageGraph graph = session.call("get the " + what, () -> session.client().lineage(query));
    int walked = depth == 0 ? DEFAULT_DEPTH : depth;
    if (graph.truncated()) {
      boolean atNodeCap = maxNodes > 0 && graph.nodes().size() >= maxNodes || graph.nodes().size() >= MAX_NODES;
      session.printer().warn(atNodeCap
          ? "the graph is partial: the walk stopped at " + graph.nodes().size() + " nodes (--max-nodes);"
              + " narrow it with --depth or --upstream/--downstream."
          : "the graph is partial: more is linked beyond depth " + walked + "; see it with --depth "
              + Math.min(50, walked * 2) + " (at most 50).");
    }
    String title = "Lineage of " + (start.taskId != null ? "task " + start.taskId
        : start.runId != null ? "run " + start.runId : start.path) + ", "
        + switch (direction) {
          case UPSTREAM -> "upstream";
          case DOWNSTREAM -> "downstream";
          default -> "both ways";
        } + ", depth " + walked;
    String f = session.format() == null || session.format().equals("table") ? "tree" : session.format();
    String text = switch (f) {
      case "tree" -> LineageTree.render(graph, direction);
      case "dot" -> LineageDot.render(graph, title);
      case "mermaid" -> LineageMermaid.render(graph);
      case "svg" -> new Graphviz().svg(LineageDot.render(graph, title));
      default -> Printer.data(session.printer().lineageNode(graph), f);
    };
    session.printer().document(text, output, what);
    return ExitCode.OK;
  }

  private Direction direction() {
    if (way == null || way.both) {
      return Direction.BOTH;
    }
    return way.upstream ? Direction.UPSTREAM : Direction.DOWNSTREAM;
  }
}
