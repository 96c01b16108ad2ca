package dev.execlog.cli;

import dev.execlog.client.model.ImportResult;
import dev.execlog.client.model.ImportSettings;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Import a log file (JSON log format, such as an export).",
        "Merges its runs in (default; runs already stored are kept) or replaces the whole log. The",
        "file is checked whole first: a rejected import changes nothing. A log from another project",
        "keeps absolute paths under that project's root: --source-root rebases them onto this one."},
    footer = {"", "Examples:",
        "  execlog import --dry-run backup/execution_log.json",
        "  execlog import --replace backup/execution_log.json",
        "  execlog import --source-root /home/alice/old-project \\",
        "    old-project/configs/execution_log.json",
        "  ssh other-host execlog export | execlog import --merge -"})
final class ImportCommand extends ServerCommand {

  @Parameters(paramLabel = "FILE", description = "The file to import, or '-' for stdin.")
  String file;

  @ArgGroup(exclusive = true)
  Mode mode;

  static final class Mode {
    @Option(names = "--merge", required = true, description = "Add the file's runs to the log (default).")
    boolean merge;

    @Option(names = "--replace", required = true, description = "Replace the whole log with the file.")
    boolean replace;
  }

  @Option(names = "--dry-run", description = "Check and count, change nothing.")
  boolean dryRun;

  @Option(names = "--source-root", paramLabel = "DIR",
      description = {"The absolute project root the file's log was written under: its absolute paths under DIR",
          "become paths under this server's project root (/old/project/DATA/a.csv becomes DATA/a.csv)."})
  String sourceRoot = "";

  @Mixin
  ProgressOptions progressOptions;

  @Override
  ExitCode execute(Session session) throws IOException {
    boolean replace = mode != null && mode.replace;
    ImportSettings settings = (replace ? ImportSettings.replacing() : ImportSettings.merging())
        .dryRun(dryRun).sourceRoot(sourceRoot);
    String what = "import " + file;
    ImportResult result;
    try (InputStream in = open(session, what);
        Progress progress = progressOptions.open("import", session.err())) {
      CommitTracker tracker = new CommitTracker(progress, session,
          n -> (replace ? "the import replaced the log with " : "the import added ") + n + " runs");
      result = session.callChange(what, () -> session.client().importLog(in, settings, tracker));
    }
    session.printer().imported(result);
    return ExitCode.OK;
  }

  private InputStream open(Session session, String what) throws IOException {
    if (file.equals("-")) {
      // the caller owns stdin; closing this wrapper must not close it
      return new FilterInputStream(session.stdin()) {
        @Override
        public void close() {}
      };
    }
    try {
      return Files.newInputStream(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new CliFailure(what, "no such file", ExitCode.ERROR, null, e);
    }
  }
}
