package dev.execlog.cli;

import dev.execlog.BuildInfo;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code execlog} command: the execution history of data-processing tasks, from the shell. */
@Command(name = "execlog", mixinStandardHelpOptions = true, versionProvider = ExeclogCli.Version.class,
    description = {"Record and query the execution history of data-processing tasks kept by an execlog server.",
        "Data goes to stdout (tables, or JSON with --json); messages and progress go to stderr."},
    subcommands = {
        RecordCommand.class, ShowCommand.class, HistoryCommand.class, LatestCommand.class, ProducerCommand.class,
        TrackInputsCommand.class, TrackOutputsCommand.class, UpdateCommand.class, RemoveCommand.class,
        TasksCommand.class, DepsCommand.class, LineageCommand.class, StatsCommand.class, WatchCommand.class,
        CleanupCommand.class, ValidateCommand.class, ExportCommand.class,
        ImportCommand.class, InfoCommand.class, CompletionCommand.class})
public final class ExeclogCli implements Runnable {

  @Spec
  CommandSpec spec;

  private final InputStream stdin;

  ExeclogCli(InputStream stdin) {
    this.stdin = stdin;
  }

  InputStream stdin() {
    return stdin;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command; try 'execlog history' or 'execlog --help'");
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    System.exit(run(args, out, err));
  }

  /** Runs one command line with the given writers and returns its exit code (see {@link ExitCode}). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    return run(args, System.in, out, err);
  }

  /** Like {@link #run(String[], PrintWriter, PrintWriter)} with stdin given, for {@code import -}. */
  public static int run(String[] args, InputStream stdin, PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine(stdin);
    cli.setOut(out);
    cli.setErr(err);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  static CommandLine commandLine(InputStream stdin) {
    ErrorHandler errors = new ErrorHandler();
    CommandLine cli = new CommandLine(new ExeclogCli(stdin))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(errors)
        .setParameterExceptionHandler(errors)
        // Descriptions are written in lines of up to 100 characters; at picocli's default of 80 each
        // would wrap mid-sentence. Set before the subcommands inherit it.
        .setUsageHelpWidth(110);
    cli.getCommandSpec().usageMessage().footer(rootFooter());
    return cli;
  }

  private static String[] rootFooter() {
    String[] codes = ExitCode.helpFooter();
    String[] rest = {"", "Environment:", "  EXECLOG_SERVER  server address used when --server is not given",
        "", "Example:", "  execlog record --task t_1I --type ingestion --duration 45s",
        "  execlog history t_1I"};
    String[] footer = new String[codes.length + rest.length];
    System.arraycopy(codes, 0, footer, 0, codes.length);
    System.arraycopy(rest, 0, footer, codes.length, rest.length);
    return footer;
  }

  /** The build's version and commit, the same as the server's and the client library's. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"execlog " + BuildInfo.describe()};
    }
  }
}
