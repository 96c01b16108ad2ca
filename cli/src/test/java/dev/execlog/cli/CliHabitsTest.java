package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execlog.cli.CliServerExtension.Result;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The habits people bring from other CLIs: options anywhere, profiles, formats, prefixes, typos. */
class CliHabitsTest {

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension();

  @TempDir
  Path dir;

  @Test
  void sharedOptions_beforeOrAfterTheCommand_meanTheSame() {
    cli.record("t_1I", "ingestion");

    Result before = CliServerExtension.runRaw("--server", cli.address(), "--json", "tasks");
    Result after = CliServerExtension.runRaw("tasks", "--server", cli.address(), "--json");

    assertEquals(0, before.exitCode(), before.err());
    assertEquals(0, after.exitCode(), after.err());
    assertEquals("t_1I", Json.one(before.out()).get("task_id").asText());
    assertEquals(before.out(), after.out());
  }

  @Test
  void sharedOptions_givenTwice_theOneAfterTheCommandWins() {
    Result r = CliServerExtension.runRaw("--server", "127.0.0.1:1", "info", "--server", cli.address());

    assertEquals(0, r.exitCode(), r.err());
  }

  @Test
  void malformedServer_isAUsageErrorShowingTheForm() {
    for (String bad : List.of("localhost", "localhost:abc", "http://localhost:50051", "localhost:70000")) {
      Result r = CliServerExtension.runRaw("info", "--server", bad);

      assertEquals(2, r.exitCode(), bad + ": " + r.err());
      assertTrue(r.err().startsWith("execlog: bad server address '" + bad + "' (flag --server): "), r.err());
      assertTrue(r.err().contains("hint: write it as HOST:PORT, such as localhost:50051"), r.err());
    }
  }

  @Test
  void malformedServer_fromTheEnvironment_namesTheVariable() {
    Result r = CliServerExtension.runWithEnv(Map.of("EXECLOG_SERVER", "nohostport"), "info");

    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().startsWith("execlog: bad server address 'nohostport' (env EXECLOG_SERVER): the port is"
        + " missing"), r.err());
  }

  @Test
  void unknownHost_saysSoInOneSentence() {
    Result r = CliServerExtension.runRaw("info", "--server", "no-such-host.invalid:50051");

    assertEquals(6, r.exitCode(), r.err());
    assertTrue(r.err().startsWith("execlog: get log info: cannot find the host 'no-such-host.invalid' of"
        + " no-such-host.invalid:50051 (unknown name)\n"), r.err());
    assertFalse(r.err().contains("io.grpc"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    assertEquals(2, r.err().lines().count(), r.err());
  }

  @Test
  void deadline_saysWhoDidNotAnswerAndHowLongItWaited() throws IOException {
    // A socket that accepts connections but never speaks: every call runs into its deadline.
    try (ServerSocket silent = new ServerSocket(0)) {
      Result r = CliServerExtension.runRaw("info", "--server", "127.0.0.1:" + silent.getLocalPort(),
          "--timeout", "500ms");

      assertEquals(6, r.exitCode(), r.err());
      assertTrue(r.err().startsWith("execlog: get log info: the server at 127.0.0.1:" + silent.getLocalPort()
          + " did not answer within 500ms\n"), r.err());
      assertTrue(r.err().contains("hint: the server is slow or the log is large; try a longer --timeout."), r.err());
      assertFalse(r.err().contains("buffered_nanos"), r.err());
    }
  }

  @Test
  void typos_getADidYouMean() {
    Result command = CliServerExtension.runRaw("histroy");
    Result option = CliServerExtension.runRaw("history", "--limt", "3");

    assertEquals(2, command.exitCode());
    assertTrue(command.err().startsWith("execlog: unknown command 'histroy'\nhint: did you mean 'history'?\n"),
        command.err());
    assertEquals(2, option.exitCode());
    assertTrue(option.err().contains("hint: did you mean '--limit'?"), option.err());
  }

  @Test
  void mistypedValues_getADidYouMean() {
    Result format = CliServerExtension.runRaw("history", "--format", "yml");
    Result rule = CliServerExtension.runRaw("cleanup", "--rule", "old-or-beyond");
    Result far = CliServerExtension.runRaw("history", "--format", "xml");

    assertEquals(2, format.exitCode());
    assertTrue(format.err().contains("--format yml is not one of table, json, yaml, csv; did you mean 'yaml'?"),
        format.err());
    assertEquals(2, rule.exitCode());
    assertTrue(rule.err().contains("did you mean 'old-or-beyond-count'?"), rule.err());
    assertEquals(2, far.exitCode());
    assertFalse(far.err().contains("did you mean"), "no guess when nothing is near: " + far.err());
  }

  private Path config(String text) throws IOException {
    Path file = dir.resolve("config");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void profile_fromTheXdgConfigFile_reachesItsServer() throws IOException {
    Files.createDirectories(dir.resolve("execlog"));
    Files.writeString(dir.resolve("execlog/config"), "profile = here\n\n[here]\nserver = " + cli.address() + "\n");

    Result r = CliServerExtension.runWithEnv(Map.of("XDG_CONFIG_HOME", dir.toString()), "info", "--json");

    assertEquals(0, r.exitCode(), r.err());
    assertEquals(0, Json.one(r.out()).get("execution_count").asInt());
  }

  @Test
  void configShow_listsEachSettingWithItsSource_flagOverEnvOverProfile() throws IOException {
    Path file = config("# team servers\n[prod]\nserver = prod.example:50051\ntls-ca = certs/ca.pem\n"
        + "timeout = 2m\n[local]\nserver = localhost:50051\n");

    Result profileOnly = CliServerExtension.runWithEnv(Map.of("EXECLOG_CONFIG", file.toString()),
        "--profile", "prod", "config", "show", "--json");
    Result envWins = CliServerExtension.runWithEnv(Map.of("EXECLOG_CONFIG", file.toString(),
        "EXECLOG_SERVER", "env.example:1"), "config", "show", "--profile", "prod", "--json");
    Result flagWins = CliServerExtension.runWithEnv(Map.of("EXECLOG_CONFIG", file.toString(),
        "EXECLOG_SERVER", "env.example:1"), "config", "show", "--profile", "prod", "--server", "flag.example:2");

    assertEquals(0, profileOnly.exitCode(), profileOnly.err());
    Map<String, JsonNode> p = bySetting(profileOnly.out());
    assertEquals(file.toString(), p.get("config").get("value").asText());
    assertEquals("env EXECLOG_CONFIG", p.get("config").get("source").asText());
    assertEquals("prod", p.get("profile").get("value").asText());
    assertEquals("flag --profile", p.get("profile").get("source").asText());
    assertEquals("prod.example:50051", p.get("server").get("value").asText());
    assertEquals("profile prod", p.get("server").get("source").asText());
    assertEquals(dir.resolve("certs/ca.pem").toString(), p.get("tls-ca").get("value").asText(),
        "relative paths are relative to the config file");
    assertEquals("2m", p.get("timeout").get("value").asText());

    Map<String, JsonNode> e = bySetting(envWins.out());
    assertEquals("env.example:1", e.get("server").get("value").asText());
    assertEquals("env EXECLOG_SERVER", e.get("server").get("source").asText());

    assertEquals(0, flagWins.exitCode(), flagWins.err());
    String table = flagWins.out();
    assertTrue(table.startsWith("SETTING"), table);
    assertTrue(table.lines().anyMatch(l -> l.matches("server\\s+flag\\.example:2\\s+flag --server")), table);
    assertTrue(table.lines().anyMatch(l -> l.matches("tls-ca\\s+\\S+ca\\.pem\\s+profile prod")), table);
  }

  private static Map<String, JsonNode> bySetting(String jsonLines) {
    Map<String, JsonNode> m = new HashMap<>();
    Json.lines(jsonLines).forEach(n -> m.put(n.get("setting").asText(), n));
    return m;
  }

  @Test
  void profile_unknownOrBadFile_isAUsageErrorNamingWhatExists() throws IOException {
    Path file = config("[prod]\nserver = prod.example:50051\n[local]\nserver = localhost:50051\n");
    Path bad = dir.resolve("bad");
    Files.writeString(bad, "[prod]\nsrever = x:1\n");

    Result unknown = CliServerExtension.runWithEnv(Map.of(), "--config", file.toString(), "--profile", "stage",
        "info");
    Result misspelt = CliServerExtension.runWithEnv(Map.of("EXECLOG_PROFILE", "prod"), "--config", bad.toString(),
        "info");

    assertEquals(2, unknown.exitCode());
    assertTrue(unknown.err().contains("no profile 'stage' (flag --profile) in " + file + "; it defines prod, local"),
        unknown.err());
    assertEquals(2, misspelt.exitCode());
    assertTrue(misspelt.err().contains(bad + ":2: unknown key 'srever'"), misspelt.err());
  }

  @Test
  void history_pageOfMore_saysHowManyInAll() {
    for (int i = 0; i < 4; i++) {
      cli.record("t_1I", "ingestion");
    }

    Result page = cli.run("history", "--limit", "3");
    Result all = cli.run("history", "--all");

    assertEquals(0, page.exitCode(), page.err());
    assertEquals(4, page.lines().size(), "header and 3 rows: " + page.out());
    assertTrue(page.err().contains("3 of 4 runs; --limit N or --all for more"), page.err());
    assertEquals(5, all.lines().size(), all.out());
    assertFalse(all.err().contains("for more"), all.err());
  }

  @Test
  void table_timesCarryTheirZone() {
    cli.record("t_1I", "ingestion");

    Result r = cli.run("history");

    assertTrue(r.lines().get(1).matches(".*\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [A-Z][A-Za-z+0-9:/_-]* \\(.*"),
        r.out());
  }

  @Test
  void formats_yamlAndCsv_carryTheJsonFields() {
    String id = cli.record("t_1I", "ingestion", "--duration", "45s", "--input", "raw=DATA/raw/a.csv");

    Result yaml = cli.run("history", "--format", "yaml");
    Result csv = cli.run("history", "--format", "csv");
    Result showYaml = cli.run("show", id, "--format", "yaml");
    Result bad = cli.run("history", "--format", "svg");

    assertEquals(0, yaml.exitCode(), yaml.err());
    assertTrue(yaml.out().startsWith("- task_run_id: "), yaml.out());
    assertTrue(yaml.out().contains("\n  task_id: t_1I\n"), yaml.out());
    assertTrue(yaml.out().contains("\n  input_files:\n  - name: raw\n    path: DATA/raw/a.csv\n"), yaml.out());
    assertEquals(0, csv.exitCode(), csv.err());
    List<String> rows = csv.out().lines().toList();
    assertEquals("task_run_id,task_id,task_type,timestamp,success,execution_time,report_path,input_files,"
        + "output_files,hostname", rows.get(0));
    assertTrue(rows.get(1).startsWith(id + ",t_1I,ingestion,"), rows.get(1));
    assertTrue(showYaml.out().startsWith("task_run_id: "), showYaml.out());
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().contains("--format svg is not one of table, json, yaml, csv"), bad.err());
  }

  @Test
  void runIds_byUniquePrefix_orAClearAmbiguity() {
    String a = cli.record("t_1I", "ingestion", "--run-id", "abcd1111-0000-4000-8000-000000000001");
    cli.record("t_1C", "cleaning", "--run-id", "abcd2222-0000-4000-8000-000000000002");

    Result unique = cli.run("show", "abcd1", "--json");
    Result ambiguous = cli.run("show", "abcd");
    Result none = cli.run("show", "ffff0");
    Result lineage = cli.run("lineage", "--run", "abcd11", "--json");

    assertEquals(0, unique.exitCode(), unique.err());
    assertEquals(a, Json.one(unique.out()).get("task_run_id").asText());
    assertEquals(2, ambiguous.exitCode());
    assertTrue(ambiguous.err().startsWith("execlog: find run abcd: the prefix abcd is ambiguous; it starts 2 run"
        + " ids:\n"), ambiguous.err());
    assertTrue(ambiguous.err().contains("  abcd1111-0000-4000-8000-000000000001  t_1I  "), ambiguous.err());
    assertTrue(ambiguous.err().contains("  abcd2222-0000-4000-8000-000000000002  t_1C  "), ambiguous.err());
    assertEquals(3, none.exitCode());
    assertTrue(none.err().startsWith("execlog: find run ffff0: no run id starts with ffff0"), none.err());
    assertEquals(0, lineage.exitCode(), lineage.err());
  }

  @Test
  void rootHelp_groupsTheCommands() {
    Result r = CliServerExtension.runRaw("--help");

    assertEquals(0, r.exitCode());
    String out = r.out();
    int runs = out.indexOf("\nRuns:\n  record ");
    int flow = out.indexOf("\nData flow:\n  producer ");
    int insight = out.indexOf("\nInsight:\n  stats ");
    int maintenance = out.indexOf("\nMaintenance:\n  cleanup ");
    assertTrue(runs > 0 && runs < flow && flow < insight && insight < maintenance, out);
    assertTrue(out.contains("\n  lineage "), out);
    assertFalse(out.contains("__complete"), "the completion helper is hidden");
  }

  @Test
  void help_everyLineFitsEightyColumns_andSentencesAreNotCutByAFixedWidth() {
    CommandLine root = ExeclogCli.commandLine(System.in);
    List<String> names = new ArrayList<>(List.of(""));
    root.getSubcommands().forEach((name, sub) -> {
      if (!sub.getCommandSpec().usageMessage().hidden()) {
        names.add(name);
      }
    });
    for (String name : names) {
      Result r = name.isEmpty() ? CliServerExtension.runRaw("--help") : CliServerExtension.runRaw(name, "--help");
      for (String line : r.lines()) {
        assertTrue(line.length() <= 80, "execlog " + name + " --help: " + line.length() + " columns: " + line);
      }
    }
    // Examples are written to fit, so the width never cuts a command in the middle.
    root.getSubcommands().forEach((name, sub) -> {
      for (String example : sub.getCommandSpec().usageMessage().footer()) {
        assertTrue(example.length() <= 80, "execlog " + name + " example of " + example.length() + " columns: " + example);
      }
    });
    String cleanup = CliServerExtension.runRaw("cleanup", "--help").out();
    int shared = cleanup.indexOf("Shared options (before or after the command):");
    assertTrue(shared > 0 && cleanup.indexOf("--max-age-days=DAYS ") < shared
        && cleanup.indexOf("--server=HOST:PORT[,...]", shared) > shared, "a command's own options come first: " + cleanup);
    String lineage = CliServerExtension.runRaw("lineage", "--help").out();
    assertTrue(lineage.contains("Walks the files runs read and wrote: upstream to their producers,"), lineage);
  }

  @Test
  void complete_listsTaskIdsAndRunIdsFromTheServer() {
    String run = cli.record("t_1I", "ingestion");
    cli.record("t_2C", "cleaning");

    Result tasks = cli.run("__complete", "tasks");
    Result runs = cli.run("__complete", "runs", run.substring(0, 6));

    assertEquals(List.of("t_1I", "t_2C"), tasks.lines());
    assertEquals(List.of(run), runs.lines());
  }

  @Test
  void completionScript_offersIdsAfterTheCommandsThatTakeThem() throws Exception {
    Result script = CliServerExtension.runRaw("completion");
    Path file = dir.resolve("execlog.bash");
    Files.writeString(file, script.out());
    // A stand-in for the real command: what the script asks the server for, and with what.
    String test = String.join("\n",
        "execlog() { local IFS=' '; echo \"asked: $*\" >> " + dir.resolve("asked") + "; if [ \"$2\" = tasks ]; then"
            + " printf 't_1I\\nt_1C\\nt_2I\\n'; else printf 'abcd1111-0000\\nabce2222-0000\\n'; fi; }",
        "source " + file,
        "complete_words() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ));"
            + " COMP_LINE=\"$*\"; COMPREPLY=(); _execlog_dynamic; echo \"${COMPREPLY[*]}\"; }",
        "complete_words execlog history t_1",
        "complete_words execlog --server h : 1 show abcd",
        "complete_words execlog lineage --run ab",
        "complete_words execlog hist");
    // picocli's own completion calls compopt, which complains outside a real completion: stderr aside.
    Process p = new ProcessBuilder("bash", "-c", test).redirectError(dir.resolve("stderr").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);

    assertEquals(List.of("t_1I t_1C", "abcd1111-0000", "abcd1111-0000 abce2222-0000", "history"), out.lines().toList());
    assertTrue(Files.readString(dir.resolve("asked")).contains("asked: __complete runs abcd --server h:1 --timeout 3s"),
        Files.readString(dir.resolve("asked")));
  }
}
