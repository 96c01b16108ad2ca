package dev.execlog.cli;

import dev.execlog.client.ExecLogClientException;
import dev.execlog.client.ExecutionWatch;
import dev.execlog.client.model.WatchFilter;
import dev.execlog.v1.ErrorReason;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Print the log's changes as they happen: runs recorded, updated and removed.",
        "One line per change, or one JSON object per line with --json. Runs until Ctrl-C (exit 130)",
        "or, with --count, until that many changes were printed (exit 0). A reader too slow for the",
        "server is dropped (exit 1); the message says how to read the missed runs with 'execlog history'.",
        "",
        "--format openlineage prints OpenLineage run events instead, one JSON RunEvent per line, the same",
        "events 'execlog export --format openlineage' gives: START and COMPLETE or FAIL for a recorded run,",
        "OTHER (new datasets and facets) for an updated one, nothing for a removal. --post URL sends each",
        "event to an OpenLineage HTTP endpoint such as Marquez (http://localhost:5000 posts to its",
        "/api/v1/lineage), with the API key of $OPENLINEAGE_API_KEY as a bearer token if set; a refused",
        "connection, 429 or 5xx is retried 4 times (0.5 to 4 s apart), then the watch stops (exit 1)."},
    footer = {"", "Examples:",
        "  execlog watch",
        "  execlog watch --task t_1I --failed",
        "  execlog watch --type ingestion --json | jq -r .run.task_run_id",
        "  execlog watch --count 1 --task t_1P   # wait for the next run of t_1P",
        "  execlog watch --format openlineage --namespace execlog://farm >> ol.ndjson",
        "  execlog watch --post http://marquez:5000 --namespace execlog://farm"})
final class WatchCommand extends ServerCommand {

  /** At most one outcome filter. */
  static final class Outcome {
    @Option(names = "--success", description = "Only successful runs.")
    boolean success;

    @Option(names = "--failed", description = "Only failed runs.")
    boolean failed;
  }

  @Option(names = "--task", paramLabel = "TASK", description = "Only changes to runs of this task.")
  String taskId;

  @Option(names = "--type", paramLabel = "TYPE", description = "Only changes to runs of this task type.")
  String taskType;

  @ArgGroup(exclusive = true)
  Outcome outcome;

  @Option(names = {"-c", "--count"}, paramLabel = "N", description = "Stop after printing this many changes.")
  Integer count;

  @Option(names = "--namespace", paramLabel = "NS", description = {"The OpenLineage job namespace of"
      + " --format openlineage (default: execlog://<the server's host name>)."})
  String namespace;

  @Option(names = "--post", paramLabel = "URL", description = {"POST each OpenLineage event to this endpoint"
      + " (implies --format openlineage); a URL without a path gets /api/v1/lineage."})
  String postUrl;

  @Override
  List<String> formats() {
    return Stream.concat(OutputFormat.DATA.stream(), Stream.of(OPENLINEAGE)).toList();
  }

  private static final String OPENLINEAGE = "openlineage";

  @Override
  ExitCode execute(Session session) throws InterruptedException {
    if (count != null && count < 1) {
      throw new CliFailure("watch", "--count must be at least 1", ExitCode.USAGE);
    }
    LineageStream lineage = lineage(session);
    Boolean success = outcome == null ? null : outcome.success;
    ExecutionWatch watch = session.call("start watching the log",
        () -> session.client().watch(new WatchFilter(taskId, taskType, success)));
    session.onInterrupt(watch::close);
    Instant caughtUp = Instant.now();
    session.verbose("watching changes after #" + watch.startSequence());
    session.printer().note("Watching " + (taskId == null ? "all tasks" : "task " + taskId) + " (Ctrl-C to stop).");
    int printed = 0;
    try (watch) {
      while ((count == null || printed < count) && next(session, watch, caughtUp)) {
        if (lineage == null) {
          session.printer().change(watch.next());
        } else {
          lineage.emit(watch.next());
        }
        caughtUp = Instant.now();
        printed++;
      }
    }
    if (session.interrupted()) {
      session.printer().note("Stopped after " + printed + (printed == 1 ? " change." : " changes."));
      return ExitCode.INTERRUPTED;
    }
    return ExitCode.OK;
  }

  /** The OpenLineage stream --format openlineage or --post asks for, or null. */
  private LineageStream lineage(Session session) {
    String format = session.format();
    if (postUrl != null && format != null && !format.equals(OPENLINEAGE)) {
      throw new CliFailure("watch", "--post sends OpenLineage events; it cannot go with --format " + format,
          ExitCode.USAGE);
    }
    if (postUrl == null && !OPENLINEAGE.equals(format)) {
      if (namespace != null) {
        throw new CliFailure("watch", "--namespace is for --format openlineage", ExitCode.USAGE);
      }
      return null;
    }
    LineagePoster poster = postUrl == null ? null
        : new LineagePoster(LineagePoster.parse(postUrl), root.env().get("OPENLINEAGE_API_KEY"));
    return new LineageStream(session, namespace, poster, spec.commandLine().getOut());
  }

  /** Waits for the next change; false when the watch ended (closed on Ctrl-C, or by the server). */
  private boolean next(Session session, ExecutionWatch watch, Instant caughtUp) {
    try {
      return watch.hasNext();
    } catch (ExecLogClientException e) {
      if (e.errorReason() == ErrorReason.WATCH_LAGGED) {
        String since = caughtUp.minus(1, ChronoUnit.SECONDS).truncatedTo(ChronoUnit.SECONDS).toString();
        throw Failures.lagged(e, "execlog history" + (taskId == null ? "" : " " + taskId) + " --all --since " + since);
      }
      throw Failures.from("watch the log", e, session.server());
    }
  }
}
