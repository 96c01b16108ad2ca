package dev.execlog.cli;

import dev.execlog.BuildInfo;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The {@code execlog} command: the execution history of data-processing tasks, from the shell. */
@Command(name = "execlog", mixinStandardHelpOptions = true, versionProvider = ExeclogCli.Version.class,
    description = {"Record and query the execution history of data-processing tasks kept by an execlog server.",
        "Data goes to stdout (tables, or --format json, yaml or csv); messages and progress go to stderr."},
    commandListHeading = "%n",
    subcommands = {
        RecordCommand.class, ShowCommand.class, HistoryCommand.class, LatestCommand.class, ProducerCommand.class,
        TrackInputsCommand.class, TrackOutputsCommand.class, UpdateCommand.class, RemoveCommand.class,
        TasksCommand.class, DepsCommand.class, LineageCommand.class, StatsCommand.class, WatchCommand.class,
        CleanupCommand.class, ValidateCommand.class, ExportCommand.class,
        ImportCommand.class, InfoCommand.class, ConfigCommand.class, CompletionCommand.class, IdsCommand.class})
public final class ExeclogCli implements Runnable {

  @Spec
  CommandSpec spec;

  /** The shared options given before the command: {@code execlog --server X info}. */
  @Mixin
  CommonOptions global;

  /** Held so its level sticks: java.util.logging keeps loggers weakly. */
  private static final Logger GRPC_LOGGER = Logger.getLogger("io.grpc");

  private final InputStream stdin;
  private final Map<String, String> env;

  ExeclogCli(InputStream stdin, Map<String, String> env) {
    this.stdin = stdin;
    this.env = env;
  }

  /** The environment variables this command line reads (the process's, or a test's). */
  Map<String, String> env() {
    return env;
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
    return run(args, stdin, out, err, System.getenv());
  }

  /** Like {@link #run(String[], InputStream, PrintWriter, PrintWriter)} reading {@code env} as its environment. */
  static int run(String[] args, InputStream stdin, PrintWriter out, PrintWriter err, Map<String, String> env) {
    // gRPC logs transport trouble (an unknown host, with its stack trace) through java.util.logging;
    // the CLI says it in one sentence instead, and shows the details with --verbose.
    boolean verbose = Arrays.asList(args).contains("--verbose") || Arrays.asList(args).contains("-v");
    GRPC_LOGGER.setLevel(verbose ? Level.INFO : Level.OFF);
    CommandLine cli = commandLine(stdin, env);
    cli.setOut(out);
    cli.setErr(err);
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  static CommandLine commandLine(InputStream stdin) {
    return commandLine(stdin, System.getenv());
  }

  static CommandLine commandLine(InputStream stdin, Map<String, String> env) {
    ErrorHandler errors = new ErrorHandler();
    CommandLine cli = new CommandLine(new ExeclogCli(stdin, env))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(errors)
        .setParameterExceptionHandler(errors)
        // Help is as wide as the terminal (80 columns when there is none); HelpLayout makes
        // descriptions whole paragraphs, which picocli wraps at word boundaries.
        .setUsageHelpWidth(80);
    cli.getCommandSpec().usageMessage().footer(rootFooter());
    HelpLayout.apply(cli);
    return cli;
  }

  private static String[] rootFooter() {
    String[] codes = ExitCode.helpFooter();
    String[] rest = {"", "Environment:",
        "  EXECLOG_SERVER   server address used when --server is not given",
        "  EXECLOG_CONFIG   config file with profiles (see 'execlog config --help')",
        "  EXECLOG_PROFILE  profile used when --profile is not given",
        "", "Shared options (--server, --format, --profile...) go before or after the command.",
        "", "Examples:", "  execlog record --task t_1I --type ingestion --duration 45s",
        "  execlog history t_1I --limit 5",
        "  execlog --profile prod show 3f2a91c0"};
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
