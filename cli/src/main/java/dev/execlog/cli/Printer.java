package dev.execlog.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execlog.client.model.CleanupResult;
import dev.execlog.client.model.DependencyReport;
import dev.execlog.client.model.ExecutionChange;
import dev.execlog.client.model.ExportResult;
import dev.execlog.client.model.ImportResult;
import dev.execlog.client.model.InputFile;
import dev.execlog.client.model.LineageGraph;
import dev.execlog.client.model.LogInfo;
import dev.execlog.client.model.OutputFile;
import dev.execlog.client.model.Run;
import dev.execlog.client.model.StatisticsReport;
import dev.execlog.client.model.TaskSummary;
import dev.execlog.client.model.ValidationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * All output of the CLI goes through here. Data goes to stdout: aligned tables and blocks for
 * people, or with {@code --json} one JSON object per line. Notes for people go to stderr, so
 * stdout can always be piped.
 */
final class Printer {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final PrintWriter out;
  private final PrintWriter err;
  private final String format;
  private boolean csvHeaderWritten;
  private final HumanFormat human;
  private final JsonView view = new JsonView(MAPPER);

  /** @param format table, json, yaml or csv; null for table */
  Printer(PrintWriter out, PrintWriter err, String format, Clock clock) {
    this.out = out;
    this.err = err;
    this.format = format == null ? "table" : format;
    this.human = new HumanFormat(clock);
  }

  /** True for json: what scripts asked for with --json or --format json. */
  boolean json() {
    return format.equals("json");
  }

  /** True for every format but table: data for programs. */
  boolean machine() {
    return !format.equals("table");
  }

  String format() {
    return format;
  }

  /** A note for people on stderr; silent with json, yaml or csv, whose readers only want data. */
  void note(String message) {
    if (!machine()) {
      err.println(message);
      err.flush();
    }
  }

  /** A warning on stderr, shown even with --json. */
  void warn(String message) {
    err.println("execlog: warning: " + message);
    err.flush();
  }

  /** A bare value on stdout, such as a new run id. */
  void value(String text) {
    out.println(text);
    out.flush();
  }

  void run(Run r) {
    if (machine()) {
      emit(List.of(view.run(r)), false);
      return;
    }
    out.println("Run        " + r.runId());
    out.println("Task       " + r.taskId() + " (" + r.taskType() + ")");
    out.println("Status     " + HumanFormat.status(r.success()));
    out.println("Recorded   " + human.time(r.recordTime()));
    out.println("Duration   " + HumanFormat.duration(r.duration()));
    out.println("Host       " + orDash(r.hostname()));
    out.println("Report     " + orDash(r.reportPath()));
    out.println(r.inputFiles().isEmpty() ? "Inputs     -" : "Inputs");
    for (InputFile f : r.inputFiles()) {
      out.println("  " + f.name() + ": " + f.path() + extraSuffix(f.extraFields()));
    }
    out.println(r.outputFiles().isEmpty() ? "Outputs    -" : "Outputs");
    for (OutputFile f : r.outputFiles()) {
      String meta = f.type().isEmpty() && f.description().isEmpty() ? ""
          : "  [" + f.type() + (f.description().isEmpty() ? "" : ": " + f.description()) + "]";
      out.println("  " + f.path() + meta + extraSuffix(f.extraFields()));
    }
    if (!r.extraFields().isEmpty()) {
      out.println("Extra");
      r.extraFields().forEach((key, text) -> out.println("  " + key + ": " + JsonTexts.human(text)));
    }
    out.flush();
  }

  /** A file entry's extra keys after it, such as {@code  (added_at: 2026-12-06T18:19:49.123456)}. */
  private static String extraSuffix(Map<String, String> fields) {
    if (fields.isEmpty()) {
      return "";
    }
    StringJoiner joined = new StringJoiner(", ", "  (", ")");
    fields.forEach((key, text) -> joined.add(key + ": " + JsonTexts.human(text)));
    return joined.toString();
  }

  void runs(List<Run> runs) {
    if (machine()) {
      emit(runs.stream().map(r -> (JsonNode) view.run(r)).toList(), true);
      return;
    }
    if (runs.isEmpty()) {
      note("No runs found.");
      return;
    }
    Table t = new Table("RUN ID", "TASK", "TYPE", "STATUS", "RECORDED", "DURATION");
    for (Run r : runs) {
      t.row(r.runId(), r.taskId(), r.taskType(), HumanFormat.status(r.success()), human.time(r.recordTime()),
          HumanFormat.duration(r.duration()));
    }
    t.print(out);
  }

  void tasks(List<TaskSummary> tasks) {
    if (machine()) {
      emit(tasks.stream().map(t -> (JsonNode) view.task(t)).toList(), true);
      return;
    }
    if (tasks.isEmpty()) {
      note("No tasks in the log.");
      return;
    }
    Table t = new Table("TASK", "TYPE", "RUNS", "LAST STATUS", "LAST RUN", "LAST RUN ID");
    for (TaskSummary s : tasks) {
      t.row(s.taskId(), s.taskType(), s.runCount(), HumanFormat.status(s.lastSuccess()),
          human.time(s.lastRecordTime()), s.lastRunId());
    }
    t.print(out);
  }

  void dependencies(DependencyReport report) {
    if (machine()) {
      emit(List.of(view.dependencies(report)), false);
      return;
    }
    Table t = new Table("TASK", "STATE", "LAST SUCCESS", "DETAIL");
    for (DependencyReport.Dependency d : report.dependencies()) {
      t.row(d.taskId(), d.state(), d.latestSuccess().map(r -> human.time(r.recordTime())).orElse("-"), d.message());
    }
    t.print(out);
    for (DependencyReport.Dependency d : report.dependencies()) {
      if (!d.missingOutputPaths().isEmpty()) {
        out.println("Missing outputs of " + d.taskId() + ":");
        d.missingOutputPaths().forEach(p -> out.println("  " + p));
      }
    }
    out.flush();
    long unmet = report.dependencies().stream().filter(d -> d.state() != DependencyReport.State.SATISFIED).count();
    note(report.satisfied() ? "All " + report.dependencies().size() + " dependencies are satisfied."
        : unmet + " of " + report.dependencies().size() + " dependencies are not satisfied.");
  }

  void cleanup(CleanupResult r) {
    if (machine()) {
      emit(List.of(view.cleanup(r)), false);
      return;
    }
    r.removedRunIds().forEach(out::println);
    out.flush();
    note(r.dryRun() ? "Dry run: cleanup would remove " + r.removedCount() + " runs; nothing was changed."
        : "Removed " + r.removedCount() + " runs.");
  }

  void validation(ValidationReport r) {
    if (machine()) {
      emit(List.of(view.validation(r)), false);
      return;
    }
    if (!r.problems().isEmpty()) {
      Table t = new Table("RUN ID", "TASK", "FIELD", "PROBLEM");
      for (ValidationReport.Problem p : r.problems()) {
        t.row(orDash(p.runId()), orDash(p.taskId()), orDash(p.field()), p.message());
      }
      t.print(out);
    }
    note(r.valid() ? "The log is valid (" + r.checkedCount() + " runs checked)."
        : "The log is INVALID: " + r.problems().size() + " problems in " + r.checkedCount() + " runs checked.");
  }

  /**
   * The outcome of an export. When the data itself went to stdout the summary must not, so it goes
   * to stderr even with --json.
   */
  void exported(ExportResult r, String destination, boolean dataOnStdout) {
    String summary = "Exported " + r.executionCount() + " runs (" + HumanFormat.size(r.sizeBytes()) + ", sha256 "
        + r.sha256() + ") to " + destination + ".";
    if (dataOnStdout) {
      note(summary);
    } else if (machine()) {
      emit(List.of(view.export(r, destination)), false);
    } else {
      value(summary);
    }
  }

  void imported(ImportResult r) {
    if (machine()) {
      emit(List.of(view.imported(r)), false);
      return;
    }
    String verb = r.dryRun() ? "Dry run: would import " : "Imported ";
    value(verb + r.importedCount() + " runs, skipped " + r.skippedCount() + " already stored; the log "
        + (r.dryRun() ? "would hold " : "holds ") + r.executionCount() + " runs.");
  }

  void info(LogInfo i) {
    if (machine()) {
      emit(List.of(view.info(i)), false);
      return;
    }
    out.println(("postgresql".equals(i.store()) ? "Database       " : "Log file       ") + i.path());
    out.println("Project root   " + i.projectRoot());
    out.println("Runs           " + i.executionCount());
    out.println("Tasks          " + i.taskCount());
    out.println("Size           " + HumanFormat.size(i.sizeBytes()));
    out.println("Last modified  " + human.time(i.lastModified()));
    out.println("Created        " + human.time(i.created()));
    out.println("Format version " + i.version());
    out.println("Server version " + i.serverVersion() + " (commit " + i.serverCommit() + ")");
    out.println("Server id      " + i.serverId());
    out.flush();
  }

  /**
   * A whole document (a graph, a chart, a table) on stdout as is, or written to {@code output}
   * (replaced whole) with a note saying so. {@code "-"} is stdout.
   */
  void document(String text, Path output, String what) {
    if (output == null || output.toString().equals("-")) {
      out.print(text.endsWith("\n") ? text : text + "\n");
      out.flush();
      return;
    }
    DocumentFile.write(output, text, "write the " + what);
    note("Wrote the " + what + " to " + output + ".");
  }

  /** The lineage graph as one JSON object on one line. */
  String lineageJson(LineageGraph graph) {
    return text(view.lineage(graph));
  }

  /** A document in json (one line), yaml or csv, for commands that also draw pictures. */
  static String data(JsonNode node, String format) {
    return switch (format) {
      case "yaml" -> OutputFormat.yaml(List.of(node), false);
      case "csv" -> OutputFormat.csv(List.of(node), true);
      default -> text(node);
    };
  }

  JsonNode lineageNode(LineageGraph graph) {
    return view.lineage(graph);
  }

  JsonNode statisticsNode(StatisticsReport report) {
    return view.statistics(report);
  }

  /** The statistics as one JSON object on one line. */
  String statisticsJson(StatisticsReport report) {
    return text(view.statistics(report));
  }

  /** One change of a watch, printed as it arrives: one line, or one JSON object. */
  void change(ExecutionChange c) {
    if (machine()) {
      emit(List.of(view.change(c)), true);
      return;
    }
    Run r = c.run();
    out.println(String.join("  ", human.clockTime(r.recordTime()), String.format("%-8s", c.kind().name().toLowerCase()),
        r.taskId() + " (" + r.taskType() + ")", HumanFormat.status(r.success()), HumanFormat.duration(r.duration()),
        r.runId()));
    out.flush();
  }

  private void line(JsonNode node) {
    out.println(text(node));
    out.flush();
  }

  /**
   * Data in the machine format: json one object per line; yaml one document (a sequence when
   * {@code list}); csv a header row (once per command) and a row per item.
   */
  void emit(List<JsonNode> items, boolean list) {
    switch (format) {
      case "yaml" -> out.print(OutputFormat.yaml(items, list));
      case "csv" -> {
        out.print(OutputFormat.csv(items, !csvHeaderWritten));
        csvHeaderWritten = true;
      }
      default -> items.forEach(i -> out.println(text(i)));
    }
    out.flush();
  }

  /**
   * Says on stderr that a list is one page of more: "20 of 4,133 runs; --limit or --all for more".
   * {@code total} is null when only "more" is known.
   */
  void page(int shown, Long total, String noun) {
    if (total != null && total <= shown) {
      return;
    }
    String of = total == null ? "the first " + shown + " " + noun + " (more exist)"
        : String.format(Locale.ROOT, "%,d of %,d %s", shown, total, noun);
    note(of + "; --limit N or --all for more");
  }

  private static String text(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  private static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
