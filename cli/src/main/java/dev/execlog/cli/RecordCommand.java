package dev.execlog.cli;

import dev.execlog.client.ExecutionLogClient.RecordExecutionOutcome;
import dev.execlog.client.model.NewRun;
import dev.execlog.client.model.OutputFile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "record", mixinStandardHelpOptions = true,
    description = "Record one run of a task. Prints the new run id (or the run, with --json).",
    footer = {"", "Example:",
        "  execlog record --task t_1I --type ingestion --duration 45.2s \\",
        "    --report DATA/reports/t_1I_report.json \\",
        "    --input customers=DATA/raw/customers.csv \\",
        "    --output 'DATA/processed/t_1I/customers.csv::csv::Processed customers' \\",
        "    --extra operator='\"alice\"' --extra 'metrics={\"rows\": 1000}'"})
final class RecordCommand extends ServerCommand {

  @Option(names = {"-t", "--task"}, required = true, description = "Task id, such as t_1I.")
  String taskId;

  @Option(names = "--type", required = true, description = "Task type, such as ingestion or profiling.")
  String taskType;

  @Option(names = "--failed", description = "The run failed (default: it succeeded).")
  boolean failed;

  @Option(names = {"-d", "--duration"}, converter = DurationConverter.class, paramLabel = "DURATION",
      description = "How long the run took: 45.2 (seconds), 45.2s, 2m5s, 1h30m.")
  Duration duration = Duration.ZERO;

  @Option(names = "--report", paramLabel = "PATH", description = "Path of the task's report.")
  String reportPath = "";

  @Option(names = "--input", paramLabel = "[NAME=]PATH",
      description = "An input dataset, repeatable; the name defaults to the file name.")
  List<String> inputs = new ArrayList<>();

  @Option(names = "--output", paramLabel = "PATH[::TYPE[::DESCRIPTION]]",
      description = "An output file, repeatable, with an optional type and description.")
  List<String> outputs = new ArrayList<>();

  @Option(names = "--run-id", paramLabel = "UUID",
      description = "Run id to use (default: a new UUID). Reusing it makes a retry record nothing twice.")
  String runId;

  @Option(names = "--time", converter = TimeConverter.class, paramLabel = "TIME",
      description = "When the run happened (default: now), such as 2026-11-29T10:02:11Z.")
  Instant recordTime;

  @Option(names = "--hostname", description = "Host the task ran on (default: this host).")
  String hostname;

  @Option(names = "--extra", paramLabel = "KEY=JSON", converter = ExtraField.Converter.class,
      description = {"A key beyond the spec's, such as notes, metrics or tags, repeatable. The value is one",
          "JSON value: notes='\"looks good\"', rows=100, 'tags=[\"nightly\"]'."})
  List<ExtraField> extras = new ArrayList<>();

  @Override
  ExitCode execute(Session session) {
    NewRun.Builder b = NewRun.builder(taskId, taskType).success(!failed).duration(duration).reportPath(reportPath)
        .recordTime(recordTime);
    if (runId != null) {
      b.runId(runId);
    }
    if (hostname != null) {
      b.hostname(hostname);
    }
    extras.forEach(e -> b.extraField(e.key(), e.jsonText()));
    inputs.stream().map(FileArguments::input).forEach(f -> b.input(f.name(), f.path()));
    for (String spec : outputs) {
      OutputFile f = FileArguments.output(spec);
      b.output(f.path(), f.type(), f.description());
    }
    NewRun run = b.build();
    RecordExecutionOutcome outcome = session.call("record a run of " + taskId,
        () -> session.client().recordWithOutcome(run));
    Printer p = session.printer();
    if (p.machine()) {
      p.run(outcome.execution());
    } else {
      p.value(outcome.execution().runId());
      p.note(outcome.alreadyRecorded()
          ? "Run " + run.runId() + " was already recorded; nothing was added."
          : "Recorded " + taskId + " (" + taskType + ", " + HumanFormat.status(!failed) + ", "
              + HumanFormat.duration(duration) + ").");
    }
    return ExitCode.OK;
  }
}
