package dev.execlog.cli;

import picocli.CommandLine.Command;

@Command(name = "info", mixinStandardHelpOptions = true,
    description = "Describe the server's log: file, project root, counts, size, versions.",
    footer = {"", "Example:", "  execlog info --server logs.internal:50051"})
final class InfoCommand extends ServerCommand {

  @Override
  ExitCode execute(Session session) {
    session.printer().info(session.call("get log info", () -> session.client().info()));
    return ExitCode.OK;
  }
}
