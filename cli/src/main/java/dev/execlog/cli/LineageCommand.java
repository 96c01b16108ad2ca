package dev.execlog.cli;

import dev.execlog.client.model.LineageGraph;
import dev.execlog.client.model.LineageQuery;
import dev.execlog.client.model.LineageQuery.Direction;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "lineage", mixinStandardHelpOptions = true,
    description = {"Show where a task's, run's or file's data came from and where it went.",
        "Walks the files runs read and wrote: upstream to their producers, downstream to their readers.",
        "Prints a text tree, or the graph as Graphviz DOT, Mermaid, JSON, or SVG (drawn by Graphviz's dot)."},
    footer = {"", "Examples:",
        "  execlog lineage --task t_1P",
        "  execlog lineage --path DATA/processed/t_1I/customers.csv --downstream --depth 2",
        "  execlog lineage --task t_1P --format dot | dot -Tsvg > pipeline.svg",
        "  execlog lineage --run 3f2a... --level run --format mermaid -o pipeline.mmd"})
final class LineageCommand extends ServerCommand {

  /** What to print. */
  enum Format { TREE, DOT, MERMAID, JSON, SVG }

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

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "tree, dot, mermaid, json or svg (default: tree; json with --json).")
  Format format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of stdout ('-' is stdout).")
  Path output;

  @Override
  ExitCode execute(Session session) {
    if (depth < 0 || maxNodes < 0) {
      throw new CliFailure("lineage", "--depth and --max-nodes must not be negative", ExitCode.USAGE);
    }
    Direction direction = direction();
    LineageQuery query = (start.taskId != null ? LineageQuery.ofTask(start.taskId)
        : start.runId != null ? LineageQuery.ofRun(start.runId) : LineageQuery.ofPath(start.path))
        .withDirection(direction).withDepth(depth).withLevel(level).withMaxNodes(maxNodes);
    String what = "lineage of " + (start.taskId != null ? "task " + start.taskId
        : start.runId != null ? "run " + start.runId : start.path);
    LineageGraph graph = session.call("get the " + what, () -> session.client().lineage(query));
    if (graph.truncated()) {
      session.printer().warn("the graph was truncated at " + graph.nodes().size()
          + " nodes; narrow it with --depth or --upstream/--downstream.");
    }
    Format f = format != null ? format : session.printer().json() ? Format.JSON : Format.TREE;
    String text = switch (f) {
      case TREE -> LineageTree.render(graph, direction);
      case DOT -> LineageDot.render(graph);
      case MERMAID -> LineageMermaid.render(graph);
      case JSON -> session.printer().lineageJson(graph);
      case SVG -> new Graphviz().svg(LineageDot.render(graph));
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
