package dev.execlog.cli;

import dev.execlog.client.model.ValidationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Check the log for problems (exit 5 when it has any).",
        "Looks for missing fields, bad values, duplicate run ids and task summaries that disagree",
        "with the runs. Problems are listed on stdout."},
    footer = {"", "Example:", "  execlog validate --no-progress || echo 'the log needs attention'"})
final class ValidateCommand extends ServerCommand {

  @Mixin
  ProgressOptions progressOptions;

  @Override
  ExitCode execute(Session session) {
    ValidationReport report;
    try (Progress progress = progressOptions.open("validate", session.err())) {
      report = session.call("validate the log", () -> session.client().validate(progress));
    }
    session.printer().validation(report);
    return report.valid() ? ExitCode.OK : ExitCode.LOG_INVALID;
  }
}
