package dev.execlog.cli;

import java.util.List;
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
    CommonOptions options = common.over(root.global);
    String format = options.format(spec.name(), formats());
    try (Session session = new Session(options, format, printerFormat(options, format), root.env(), spec.commandLine().getOut(),
        spec.commandLine().getErr(), root.stdin())) {
      return execute(session).code();
    }
  }

  /** The values of --format this command accepts. */
  List<String> formats() {
    return OutputFormat.DATA;
  }

  /** The format of the printer's data and notes: the format asked for, when it is a data format. */
  String printerFormat(CommonOptions options, String format) {
    return format != null && OutputFormat.DATA.contains(format) ? format : null;
  }

  abstract ExitCode execute(Session session) throws Exception;
}
