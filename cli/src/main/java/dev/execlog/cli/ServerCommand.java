package dev.execlog.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A subcommand that talks to the server: opens a {@link Session}, runs, returns its exit code. */
abstract class ServerCommand implements Callable<Integer> {

  @Mixin
  CommonOptions common;

  @Spec
  CommandSpec spec;

  @ParentCommand
  ExeclogCli root;

  @Override
  public final Integer call() throws Exception {
    try (Session session = new Session(common, spec.commandLine().getOut(), spec.commandLine().getErr(),
        root.stdin())) {
      return execute(session).code();
    }
  }

  abstract ExitCode execute(Session session) throws Exception;
}
