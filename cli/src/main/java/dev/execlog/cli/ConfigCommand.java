package dev.execlog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "config", mixinStandardHelpOptions = true,
    description = {"Show the connection settings in effect and where each comes from.",
        "Settings come from, highest first: an option, an environment variable, the selected profile",
        "of the config file, the default. The config file is ${XDG_CONFIG_HOME:-~/.config}/execlog/config",
        "(or --config FILE, or EXECLOG_CONFIG); a profile is chosen by --profile, EXECLOG_PROFILE, or",
        "the file's 'profile = NAME' line."},
    subcommands = ConfigCommand.Show.class,
    footer = {"", "Config file:",
        "  # the profile used when neither --profile nor EXECLOG_PROFILE is given",
        "  profile = prod",
        "",
        "  [prod]",
        "  server = logs.internal:50051",
        "  tls-ca = ~/certs/execlog-ca.pem      # relative paths: from the file's folder",
        "  token-file = ~/.config/execlog/prod.token",
        "  timeout = 1m",
        "",
        "  [local]",
        "  server = localhost:50051",
        "",
        "Keys: server, tls-ca, tls-cert, tls-key, tls-authority, token-file, timeout.",
        "",
        "Example:",
        "  execlog config show --profile local"})
final class ConfigCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @ParentCommand
  ExeclogCli root;

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing subcommand; try 'execlog config show'");
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Print each connection setting, its value and its source; reads no server.",
      footer = {"", "Examples:", "  execlog config show", "  execlog --profile prod config show --format json"})
  static final class Show implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @ParentCommand
    ConfigCommand config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      CommonOptions options = common.over(config.root.global);
      String format = options.format("config show", OutputFormat.DATA);
      Settings s = Settings.resolve(options, config.root.env());
      PrintWriter out = spec.commandLine().getOut();
      Printer printer = new Printer(out, spec.commandLine().getErr(), format, Clock.systemDefaultZone());
      if (printer.machine()) {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> rows = new ArrayList<>();
        rows.add(row(mapper, "config", s.configFile() + (s.configExists() ? "" : " (absent)"), s.configSource()));
        rows.add(row(mapper, "profile", s.profile() == null ? "" : s.profile(), s.profileSource()));
        s.values().forEach((k, v) -> rows.add(row(mapper, k, v.value(), v.source())));
        printer.emit(rows, true);
        return ExitCode.OK.code();
      }
      Table t = new Table("SETTING", "VALUE", "SOURCE");
      t.row("config", s.configFile() + (s.configExists() ? "" : " (absent)"), s.configSource());
      t.row("profile", s.profile() == null ? "-" : s.profile(), s.profileSource());
      s.values().forEach((k, v) -> t.row(k, v.value(), v.source()));
      t.print(out);
      if (!s.profiles().isEmpty()) {
        printer.note("Profiles in the config file: " + String.join(", ", s.profiles()) + ".");
      }
      return ExitCode.OK.code();
    }

    private static JsonNode row(ObjectMapper mapper, String setting, String value, String source) {
      ObjectNode n = mapper.createObjectNode();
      return n.put("setting", setting).put("value", value).put("source", source);
    }
  }
}
