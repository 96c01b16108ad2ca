package dev.execlog.cli;

import picocli.CommandLine.Command;

@Command(name = "tasks", mixinStandardHelpOptions = true,
    description = "List the tasks of the log with their newest run, ordered by task id.",
    footer = {"", "Example:", "  execlog tasks --json | jq -r 'select(.last_status == \"failed\") | .task_id'"})
final class TasksCommand extends ServerCommand {

  @Override
  ExitCode execute(Session session) {
    session.printer().tasks(session.call("list tasks", () -> session.client().tasks()));
    return ExitCode.OK;
  }
}
