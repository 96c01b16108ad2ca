package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.cli.CliServerExtension.Result;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** One-line errors with the right exit code, and help that documents every command. */
class ErrorsAndHelpTest {

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension();

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void anyCommand_serverDown_exitsUnavailableWithHint() throws IOException {
    String down = "127.0.0.1:" + freePort();

    Result r = CliServerExtension.runRaw("history", "--server", down);

    assertEquals(6, r.exitCode());
    assertEquals("", r.out());
    assertTrue(r.err().startsWith("execlog: list runs: cannot reach " + down), r.err());
    assertTrue(r.err().contains("hint: is the server running at " + down), r.err());
    assertEquals(2, r.err().lines().count(), "one error line and one hint: " + r.err());
  }

  @Test
  void show_unknownRunId_exitsNotFound() {
    Result r = cli.run("show", "00000000-0000-0000-0000-000000000000");

    assertEquals(3, r.exitCode());
    assertTrue(r.err().startsWith("execlog: show run 00000000-0000-0000-0000-000000000000: run_id: no run with id"
        + " 00000000-0000-0000-0000-000000000000\n"), r.err());
    assertTrue(r.err().contains("hint: no run has id 00000000-0000-0000-0000-000000000000;"), r.err());
  }

  @Test
  void record_pathEscapingRoot_exitsErrorNamingTheField() {
    Result r = cli.run("record", "--task", "t_1I", "--type", "ingestion", "--report", "../etc/passwd");

    assertEquals(1, r.exitCode());
    assertTrue(r.err().startsWith("execlog: record a run of t_1I: execution.report_path: "), r.err());
    assertEquals(1, r.err().split("execution.report_path", -1).length - 1, "the field is named once: " + r.err());
    assertTrue(r.err().contains("hint: '../etc/passwd' is outside the project root; paths must be relative to the"
        + " project root"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
  }

  @Test
  void record_badPathWithVerbose_printsStackTrace() {
    Result r = cli.run("record", "--task", "t_1I", "--type", "ingestion", "--input", "../etc/passwd", "--verbose");

    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains(": execution.input_files[0].path: "), r.err());
    assertTrue(r.err().contains("execlog: status INVALID_ARGUMENT, reason PATH_OUTSIDE_ROOT, field"
        + " execution.input_files[0].path, metadata {field=execution.input_files[0].path, path=../etc/passwd}"), r.err());
    assertTrue(r.err().contains("\tat "), "stack trace with --verbose: " + r.err());
  }

  @Test
  void parse_unknownOptionOrBadValue_exitsUsage() {
    Result unknown = cli.run("history", "--bogus");
    Result badDuration = cli.run("deps", "t_1I", "--max-age", "soon");
    Result noCommand = CliServerExtension.runRaw();

    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().startsWith("execlog: Unknown option: '--bogus'"), unknown.err());
    assertTrue(unknown.err().contains("hint: see 'execlog history --help'."), unknown.err());
    assertEquals(2, badDuration.exitCode());
    assertTrue(badDuration.err().contains("'soon' is not a duration"), badDuration.err());
    assertEquals(2, noCommand.exitCode());
  }

  @Test
  void rootHelp_listsEveryExitCode() {
    Result r = CliServerExtension.runRaw("--help");

    assertEquals(0, r.exitCode());
    for (ExitCode code : ExitCode.values()) {
      assertTrue(r.out().contains(String.format("%3d  %s", code.code(), code.meaning())), code.name());
    }
  }

  @Test
  void subcommandHelp_everySubcommand_hasAnExample() {
    CommandLine root = ExeclogCli.commandLine(System.in);
    List<String> visible = root.getSubcommands().entrySet().stream()
        .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden()).map(Map.Entry::getKey).toList();
    assertEquals(21, visible.size());
    for (String name : visible) {
      Result r = CliServerExtension.runRaw(name, "--help");
      assertEquals(0, r.exitCode(), name);
      assertTrue(r.out().contains("Example"), name + " --help has no example");
      assertTrue(r.out().contains("execlog " + name), name + " example does not use it");
    }
  }

  @Test
  void completion_printsBashScriptNamingSubcommands() {
    Result r = CliServerExtension.runRaw("completion");

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("complete -F"), r.out().substring(0, Math.min(200, r.out().length())));
    assertTrue(r.out().contains("track-inputs"));
  }

  @Test
  void version_printsName() {
    Result r = CliServerExtension.runRaw("--version");

    assertEquals(0, r.exitCode());
    assertTrue(r.out().startsWith("execlog "), r.out());
  }
}
