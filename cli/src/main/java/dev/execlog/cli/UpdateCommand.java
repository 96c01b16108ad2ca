package dev.execlog.cli;

import dev.execlog.client.model.RunUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "update", mixinStandardHelpOptions = true,
    description = {"Change fields of a run.",
        "Only the fields given change (they form the update mask); --input and --output replace the",
        "whole list; --set and --unset change one extra key each and leave the others. The run id and",
        "task id cannot change."},
    footer = {"", "Examples:",
        "  execlog update f8a7d3e1-2b56-4c9a-8f7e-3d1a2b3c4d5e --failed --duration 2m5s",
        "  execlog update f8a7d3e1 --output DATA/out/a.csv --output DATA/out/b.csv",
        "  execlog update f8a7d3e1 --set notes='\"rerun by hand\"' --unset operator"})
final class UpdateCommand extends ServerCommand {

  @Parameters(paramLabel = "RUN_ID", description = "The run's id, or a unique prefix of it (at least 4 characters).")
  String runId;

  @Option(names = "--type", description = "New task type.")
  String taskType;

  @ArgGroup(exclusive = true)
  Status status;

  static final class Status {
    @Option(names = "--success", required = true, description = "Mark the run successful.")
    boolean success;

    @Option(names = "--failed", required = true, description = "Mark the run failed.")
    boolean failed;
  }

  @Option(names = {"-d", "--duration"}, converter = DurationConverter.class, paramLabel = "DURATION",
      description = "New duration: 45.2 (seconds), 45.2s, 2m5s.")
  Duration duration;

  @Option(names = "--report", paramLabel = "PATH", description = "New report path ('' to clear).")
  String reportPath;

  @Option(names = "--time", converter = TimeConverter.class, paramLabel = "TIME", description = "New record time.")
  Instant recordTime;

  @Option(names = "--hostname", description = "New host name.")
  String hostname;

  @Option(names = "--input", paramLabel = "[NAME=]PATH", description = "Replace the input files (repeatable).")
  List<String> inputs;

  @Option(names = "--clear-inputs", description = "Remove every input file.")
  boolean clearInputs;

  @Option(names = "--output", paramLabel = "PATH[::TYPE[::DESCRIPTION]]", description = "Replace the output files (repeatable).")
  List<String> outputs;

  @Option(names = "--clear-outputs", description = "Remove every output file.")
  boolean clearOutputs;

  @Option(names = "--set", paramLabel = "KEY=JSON", converter = ExtraField.Converter.class,
      description = {"Add or change a key beyond the spec's, repeatable. The value is one JSON value:",
          "notes='\"looks good\"', rows=100."})
  List<ExtraField> sets = new ArrayList<>();

  @Option(names = "--unset", paramLabel = "KEY", description = "Remove a key beyond the spec's, repeatable.")
  List<String> unsets = new ArrayList<>();

  @Override
  ExitCode execute(Session session) {
    RunUpdate update = update();
    if (update.fields().isEmpty()) {
      throw new CliFailure("update", "nothing to change; give at least one field option such as --failed, --report or --set",
          ExitCode.USAGE, "see 'execlog update --help'.", null);
    }
    session.verbose("update mask: " + String.join(",", update.fieldList()));
    String id = session.resolveRun(runId);
    session.printer().run(session.call("update run " + id, () -> session.client().update(id, update)));
    return ExitCode.OK;
  }

  private RunUpdate update() {
    RunUpdate u = new RunUpdate();
    if (taskType != null) {
      u.taskType(taskType);
    }
    if (status != null) {
      u.success(status.success);
    }
    if (duration != null) {
      u.duration(duration);
    }
    if (reportPath != null) {
      u.reportPath(reportPath);
    }
    if (recordTime != null) {
      u.recordTime(recordTime);
    }
    if (hostname != null) {
      u.hostname(hostname);
    }
    if (inputs != null || clearInputs) {
      u.inputFiles(inputs == null ? List.of() : inputs.stream().map(FileArguments::input).toList());
    }
    if (outputs != null || clearOutputs) {
      u.outputFiles(outputs == null ? List.of() : outputs.stream().map(FileArguments::output).toList());
    }
    sets.forEach(e -> u.extraField(e.key(), e.jsonText()));
    unsets.forEach(u::removeExtraField);
    return u;
  }
}
