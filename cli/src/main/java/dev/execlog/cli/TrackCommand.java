package dev.execlog.cli;

import dev.execlog.client.model.Run;
import java.util.List;
import picocli.CommandLine.Parameters;

/** Adds files to the newest run of a task; the two subclasses choose inputs or outputs. */
abstract class TrackCommand extends ServerCommand {

  @Parameters(index = "0", paramLabel = "TASK", description = "The task whose newest run gets the files.")
  String taskId;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH", description = "The files; paths already listed are kept once.")
  List<String> paths;

  abstract String kind();

  abstract Run track(Session session);

  @Override
  ExitCode execute(Session session) {
    Run run = session.call("track " + kind() + " files of " + taskId, () -> track(session));
    session.printer().run(run);
    return ExitCode.OK;
  }
}
