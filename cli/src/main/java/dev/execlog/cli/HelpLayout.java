package dev.execlog.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How help reads: the root's commands in groups, and descriptions as whole paragraphs that picocli
 * wraps at the terminal's width (so no sentence is broken in the middle of a line by a fixed width).
 */
final class HelpLayout {

  /** The groups of the root's command list, in order; a command in none is listed under "Other". */
  static final Map<String, List<String>> GROUPS = groups();

  private HelpLayout() {}

  private static Map<String, List<String>> groups() {
    Map<String, List<String>> g = new LinkedHashMap<>();
    g.put("Runs", List.of("record", "show", "history", "latest", "update", "remove", "tasks"));
    g.put("Data flow", List.of("producer", "track-inputs", "track-outputs", "deps", "lineage"));
    g.put("Insight", List.of("stats", "watch", "info"));
    g.put("Maintenance", List.of("cleanup", "validate", "export", "import"));
    g.put("Setup", List.of("config", "completion"));
    return g;
  }

  /** Applies the layout to the root and every subcommand. */
  static void apply(CommandLine root) {
    root.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpLayout::commandList);
    reflow(root);
  }

  private static void reflow(CommandLine cmd) {
    cmd.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, HelpLayout::optionList);
    UsageMessageSpec usage = cmd.getCommandSpec().usageMessage();
    usage.description(paragraphs(usage.description()));
    usage.autoWidth(true);
    cmd.getSubcommands().values().forEach(HelpLayout::reflow);
  }

  /**
   * Joins description lines written at a fixed width into paragraphs: a line that does not end a
   * sentence (with '.' or '?') continues on the next.
   */
  static String[] paragraphs(String[] lines) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      if (current.length() > 0) {
        current.append(' ');
      }
      current.append(line.strip());
      if (line.endsWith(".") || line.endsWith("?") || line.isBlank()) {
        out.add(current.toString());
        current.setLength(0);
      }
    }
    if (current.length() > 0) {
      out.add(current.toString());
    }
    return out.toArray(String[]::new);
  }

  /**
   * The command's own options first, then, under their own heading, those every command shares
   * (connection, output, help), so what is particular to a command is not lost among them.
   */
  private static String optionList(Help help) {
    CommandSpec spec = help.commandSpec();
    CommandSpec common = spec.mixins().get("common");
    if (common == null || spec.parent() == null) {
      return help.optionList();
    }
    Set<String> shared = new LinkedHashSet<>();
    common.options().forEach(o -> shared.add(o.longestName()));
    List<OptionSpec> own = new ArrayList<>();
    List<OptionSpec> sharedOptions = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      boolean isShared = shared.contains(o.longestName()) || o.usageHelp() || o.versionHelp();
      if (!o.hidden()) {
        (isShared ? sharedOptions : own).add(o);
      }
    }
    Help.Layout layout = help.createDefaultLayout();
    String ownList = help.optionListExcludingGroups(own, layout, Help.createShortOptionArityAndNameComparator(),
        help.parameterLabelRenderer());
    Help.Layout sharedLayout = help.createDefaultLayout();
    String sharedList = help.optionListExcludingGroups(sharedOptions, sharedLayout,
        Help.createShortOptionArityAndNameComparator(), help.parameterLabelRenderer());
    return ownList + (ownList.isEmpty() ? "" : "\n") + "Shared options (before or after the command):\n" + sharedList;
  }

  /** The command list, one heading per group. */
  private static String commandList(Help help) {
    Map<String, Help> subs = help.subcommands();
    if (subs.isEmpty()) {
      return "";
    }
    Set<String> listed = new LinkedHashSet<>();
    int width = subs.keySet().stream().mapToInt(String::length).max().orElse(10) + 4;
    int total = help.commandSpec().usageMessage().width();
    StringBuilder s = new StringBuilder();
    Map<String, List<String>> groups = new LinkedHashMap<>(GROUPS);
    List<String> other = subs.keySet().stream().filter(n -> GROUPS.values().stream().noneMatch(g -> g.contains(n)))
        .toList();
    if (!other.isEmpty()) {
      groups.put("Other", other);
    }
    groups.forEach((name, commands) -> {
      s.append(name).append(":\n");
      for (String c : commands) {
        Help sub = subs.get(c);
        if (sub == null || sub.commandSpec().usageMessage().hidden() || !listed.add(c)) {
          continue;
        }
        CommandSpec spec = sub.commandSpec();
        String[] description = spec.usageMessage().description();
        String first = description.length == 0 ? "" : firstSentence(description[0]);
        s.append(line("  " + c, first, width, total));
      }
      s.append('\n');
    });
    return s.toString();
  }

  private static String firstSentence(String paragraph) {
    int end = paragraph.indexOf(". ");
    return end < 0 ? paragraph : paragraph.substring(0, end + 1);
  }

  /** A name and its text in a column, the text wrapped at word boundaries within {@code total}. */
  private static String line(String name, String text, int width, int total) {
    StringBuilder s = new StringBuilder(String.format("%-" + width + "s", name));
    int column = width;
    for (String word : text.split(" ")) {
      if (column > width && column + 1 + word.length() > total) {
        s.append('\n').append(" ".repeat(width));
        column = width;
      } else if (column > width) {
        s.append(' ');
        column++;
      }
      s.append(word);
      column += word.length();
    }
    return s.append('\n').toString();
  }
}
