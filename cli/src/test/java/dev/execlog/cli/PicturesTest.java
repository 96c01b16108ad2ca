package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execlog.bench.LogGenerator;
import dev.execlog.cli.CliServerExtension.Result;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The pictures, drawn from the benchmark's realistic 50-task log (10 pipelines of 5 stages, 2,000
 * runs over 90 days): their structure is checked, and each is kept as a PNG under
 * target/pictures/ (when Graphviz's dot is installed) for people to look at.
 */
class PicturesTest {

  private static final Path PICTURES = Path.of("target/pictures");
  private static final Pattern EDGE = Pattern.compile(
      "^  \"([^\"]+)\" -> \"([^\"]+)\" \\[label=\"([^\"]*)\".*tooltip=\"([^\"]*)\"\\];$", Pattern.MULTILINE);

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension();

  @BeforeEach
  void benchLog() throws Exception {
    LogGenerator generator = new LogGenerator(2000, 42, Instant.parse("2026-12-01T00:00:00Z"), 0);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    generator.write(log, generator.scan());
    cli.restartWithLog(log.toString(StandardCharsets.UTF_8));
    Files.createDirectories(PICTURES);
  }

  @Test
  void lineage_taskLevel_oneArrowPerPairShortLabelsTitleAndLegend() throws Exception {
    JsonNode g = Json.one(cli.run("lineage", "--task", "t_1I", "--json").out());
    Set<String> pairs = new HashSet<>();
    g.get("edges").forEach(e -> pairs.add(e.get("source_node_id").asText() + " -> " + e.get("target_node_id").asText()));

    Result r = cli.run("lineage", "--task", "t_1I", "--format", "dot");

    assertEquals(0, r.exitCode(), r.err());
    List<String> arrows = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    int files = 0;
    Matcher m = EDGE.matcher(r.out());
    while (m.find()) {
      arrows.add(m.group(1) + " -> " + m.group(2));
      labels.add(m.group(3));
      files += m.group(4).split("\\\\n").length;
      assertTrue(m.group(4).startsWith("DATA/processed/"), "the tooltip has the full paths: " + m.group(4));
    }
    assertTrue(g.get("edges").size() > pairs.size(), "the log links some task pairs by several files");
    assertEquals(pairs.size(), arrows.size(), "one arrow per linked pair of tasks");
    assertEquals(pairs, Set.copyOf(arrows));
    assertEquals(g.get("edges").size(), files, "every file is in one arrow's tooltip");
    assertTrue(pairs.size() > LineageDot.MAX_LABELLED_LINKS);
    assertTrue(labels.stream().allMatch(String::isEmpty), "too many arrows to label: " + labels);
    assertTrue(r.out().contains("thicker: more files; hover an arrow for its files"), r.out());
    assertEquals(g.get("nodes").size(), r.out().lines().filter(l -> l.matches("  \"task:[^\"]+\" \\[label=.*")).count());
    assertTrue(r.out().contains("<B>Lineage of task t_1I, both ways, depth 5</B>"), r.out());
    assertTrue(r.out().contains("Legend:") && r.out().contains(">succeeded<") && r.out().contains(">last run failed<"),
        r.out());
    assertTrue(r.out().contains(g.get("nodes").size() + " tasks, " + pairs.size() + " links (" + g.get("edges").size()
        + " by file); last runs 2026-"), r.out());
    assertFalse(g.get("truncated").asBoolean(), "nothing lies beyond depth 5 downstream of an ingestion");
    assertFalse(r.out().contains("PARTIAL"), r.out());
    assertFalse(r.err().contains("partial"), r.err());

    int[] size = png(r.out(), "lineage-t_1I.png");
    if (size != null) {
      assertTrue(size[1] < 2500, "the 50-task lineage stays readable: " + size[0] + "x" + size[1]);
    }
  }

  @Test
  void lineage_depthCut_isReportedAsPartial_andRunLabelsAreShort() throws Exception {
    Result json = cli.run("lineage", "--task", "t_1I", "--depth", "2", "--json");
    Result dot = cli.run("lineage", "--task", "t_1I", "--depth", "2", "--format", "dot");
    Result runs = cli.run("lineage", "--task", "t_1R", "--level", "run", "--depth", "1", "--format", "dot");

    assertTrue(Json.one(json.out()).get("truncated").asBoolean(), "profiling and later stages lie beyond depth 2");
    assertTrue(json.err().contains("the graph is partial: more is linked beyond depth 2; see it with --depth 4"),
        json.err());
    assertTrue(dot.out().contains("PARTIAL: the walk stopped at its depth or node limit"), dot.out());
    assertEquals(0, runs.exitCode(), runs.err());
    Matcher label = Pattern.compile("\"run:[0-9a-f-]{36}\" \\[label=\"(t_1R|t_\\d+A)\\\\n([0-9a-f]{8}) · \\d\\d-\\d\\d \\d\\d:\\d\\d\"")
        .matcher(runs.out());
    assertTrue(label.find(), "run nodes are labelled with the task, a short id and the time: " + runs.out());
    assertFalse(runs.out().contains("label=\"t_1R " ), "no full run ids in labels");
    png(dot.out(), "lineage-t_1I-depth2.png");
    png(runs.out(), "lineage-t_1R-runs.png");
  }

  @Test
  void stats_chart_niceTicksAndMediansBesideMaxima() throws Exception {
    Result r = cli.run("stats", "t_1I", "--since", "2026-11-01", "--until", "2026-12-01", "--by", "week",
        "--format", "svg");

    assertEquals(0, r.exitCode(), r.err());
    Document svg = LineageCommandTest.parse(r.out());
    List<String> ticks = texts(svg, "tick");
    assertTrue(ticks.size() >= 4 && ticks.size() <= 7, ticks.toString());
    assertEquals("0", ticks.get(0));
    String unit = ticks.get(1).replaceAll("^[0-9.]+ ", "");
    List<Double> values = new ArrayList<>();
    for (String t : ticks.subList(1, ticks.size())) {
      assertTrue(t.endsWith(" " + unit), "one unit on the axis: " + ticks);
      values.add(Double.parseDouble(t.substring(0, t.length() - unit.length() - 1)));
    }
    double step = values.get(0);
    double mantissa = step / Math.pow(10, Math.floor(Math.log10(step)));
    assertTrue(Set.of(1.0, 2.0, 5.0).contains(Math.round(mantissa * 1000) / 1000.0), "nice step: " + ticks);
    for (int i = 0; i < values.size(); i++) {
      assertEquals(step * (i + 1), values.get(i), 1e-9, ticks.toString());
    }
    int weeks = svg.getElementsByTagName("text").getLength();
    assertTrue(weeks > 0);
    assertEquals(count(svg, "rect", "p50"), count(svg, "rect", "p95"), "a p50 and a p95 bar per week");
    assertEquals(count(svg, "rect", "p50"), count(svg, "g", "max"), "and a max whisker");
    assertTrue(count(svg, "rect", "p50") >= 4, "four or five weeks of November");
    png(svg(r.out()), "stats-t_1I-weeks.png");
  }

  @Test
  void stats_smallMultiples_oneChartPerTask() throws Exception {
    Result r = cli.run("stats", "--by", "week", "--format", "svg", "--per-task");

    assertEquals(0, r.exitCode(), r.err());
    Document svg = LineageCommandTest.parse(r.out());
    List<String> tasks = new ArrayList<>();
    NodeList groups = svg.getElementsByTagName("g");
    for (int i = 0; i < groups.getLength(); i++) {
      Element e = (Element) groups.item(i);
      if (e.getAttribute("class").equals("task")) {
        tasks.add(e.getAttribute("data-task"));
      }
    }
    assertEquals(50, tasks.size(), tasks.toString());
    assertTrue(tasks.containsAll(LogGenerator.taskIds()));
    for (int i = 0; i < groups.getLength(); i++) {
      Element e = (Element) groups.item(i);
      if (e.getAttribute("class").equals("task")) {
        assertTrue(e.getElementsByTagName("rect").getLength() >= 2, "each task has its own bars: "
            + e.getAttribute("data-task"));
      }
    }
    png(svg(r.out()), "stats-per-task.png");
  }

  private static List<String> texts(Document svg, String cls) {
    List<String> out = new ArrayList<>();
    NodeList texts = svg.getElementsByTagName("text");
    for (int i = 0; i < texts.getLength(); i++) {
      Element e = (Element) texts.item(i);
      if (e.getAttribute("class").equals(cls)) {
        out.add(e.getTextContent());
      }
    }
    return out;
  }

  private static int count(Document svg, String tag, String cls) {
    int n = 0;
    NodeList all = svg.getElementsByTagName(tag);
    for (int i = 0; i < all.getLength(); i++) {
      if (((Element) all.item(i)).getAttribute("class").equals(cls)) {
        n++;
      }
    }
    return n;
  }

  /** Marks SVG input for {@link #png}: it is converted by Graphviz's image loader, not laid out. */
  private static String svg(String svg) {
    return "svg:" + svg;
  }

  /**
   * Keeps a PNG of the picture under target/pictures and returns its size, or null when dot is
   * missing. DOT is laid out by dot; an SVG chart is saved as is, next to where its PNG would be.
   */
  private static int[] png(String document, String name) throws IOException, InterruptedException {
    if (document.startsWith("svg:")) {
      Files.writeString(PICTURES.resolve(name.replace(".png", ".svg")), document.substring(4));
      return null;
    }
    Files.writeString(PICTURES.resolve(name.replace(".png", ".dot")), document);
    if (!LineageCommandTest.onPath("dot")) {
      return null;
    }
    Path out = PICTURES.resolve(name);
    Process p = new ProcessBuilder("dot", "-Tpng", "-o", out.toString()).redirectErrorStream(true).start();
    p.getOutputStream().write(document.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String said;
    try (InputStream in = p.getInputStream()) {
      said = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), said);
    byte[] head = Files.readAllBytes(out);
    return new int[] {ByteBuffer.wrap(head, 16, 4).getInt(), ByteBuffer.wrap(head, 20, 4).getInt()};
  }
}
