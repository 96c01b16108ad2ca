package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execlog.cli.CliServerExtension.Result;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;

/** lineage: the chain t_A → t_B → t_C (through DATA/a.csv and DATA/b.csv) in every format. */
class LineageCommandTest {

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension();

  @BeforeEach
  void recordChain() {
    cli.record("t_A", "ingestion", "--time", "2026-01-01T10:00:00Z", "--output", "DATA/a.csv");
    cli.record("t_B", "transform", "--time", "2026-01-01T11:00:00Z", "--input", "DATA/a.csv",
        "--output", "DATA/b.csv");
    cli.record("t_C", "report", "--time", "2026-01-01T12:00:00Z", "--input", "DATA/b.csv",
        "--output", "DATA/c.csv");
  }

  @Test
  void lineage_middleTask_treeShowsProducerAndReader() {
    Result r = cli.run("lineage", "--task", "t_B");

    assertEquals(0, r.exitCode(), r.err());
    assertEquals("""
        t_B (task, transform, 1 run, last run success)
        upstream (where its inputs came from):
        └── t_A  via DATA/a.csv
        downstream (what read its outputs):
        └── t_C  via DATA/b.csv
        """, r.out());
  }

  @Test
  void lineage_firstTaskDownstream_treeNestsTheChain() {
    Result r = cli.run("lineage", "--task", "t_A", "--downstream");

    assertEquals(0, r.exitCode(), r.err());
    assertEquals("""
        t_A (task, ingestion, 1 run, last run success)
        downstream (what read its outputs):
        └── t_B  via DATA/a.csv
            └── t_C  via DATA/b.csv
        """, r.out());
  }

  @Test
  void lineage_depthOne_stopsAfterOneHop() {
    Result r = cli.run("lineage", "--task", "t_A", "--depth", "1");

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("└── t_B  via DATA/a.csv\n"), r.out());
    assertFalse(r.out().contains("t_C"), r.out());
    assertTrue(r.out().contains("upstream (where its inputs came from): none"), r.out());
  }

  @Test
  void lineage_dot_hasExactlyTheChainsEdges() {
    Result r = cli.run("lineage", "--task", "t_C", "--format", "dot");

    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().startsWith("digraph lineage {\n  rankdir=LR;\n"), r.out());
    assertEquals(List.of(
        "  \"task:t_A\" -> \"task:t_B\" [label=\"a.csv\", tooltip=\"DATA/a.csv\"];",
        "  \"task:t_B\" -> \"task:t_C\" [label=\"b.csv\", tooltip=\"DATA/b.csv\"];"), lines(r.out(), " -> "));
    assertTrue(r.out().contains("  \"task:t_C\" [label=\"t_C\", penwidth=2.5, tooltip=\"t_C ("), "the start is marked: "
        + r.out());
    assertTrue(r.out().contains("files under DATA/"), "the shared folder is said once: " + r.out());
    assertTrue(r.out().endsWith("}\n"));
  }

  @Test
  void lineage_mermaid_hasExactlyTheChainsEdges() {
    Result r = cli.run("lineage", "--task", "t_A", "--format", "mermaid");

    assertEquals(0, r.exitCode(), r.err());
    assertEquals(List.of("flowchart LR", "  n0[\"t_A\"]", "  n1[\"t_B\"]", "  n2[\"t_C\"]",
        "  n0 -->|\"DATA/a.csv\"| n1", "  n1 -->|\"DATA/b.csv\"| n2"), r.lines().subList(0, 6));
    assertTrue(r.lines().contains("  class n0 start"), r.out());
  }

  @Test
  void lineage_json_isOneObjectWithNodesAndEdges() {
    Result r = cli.run("lineage", "--task", "t_B", "--json");

    assertEquals(0, r.exitCode(), r.err());
    JsonNode g = Json.one(r.out());
    assertEquals("task:t_B", g.get("start_node_id").asText());
    assertFalse(g.get("truncated").asBoolean());
    List<String> nodes = new ArrayList<>();
    g.get("nodes").forEach(n -> nodes.add(n.get("id").asText() + "@" + n.get("distance").asInt()));
    assertEquals(List.of("task:t_B@0", "task:t_A@1", "task:t_C@1"), nodes);
    List<String> edges = new ArrayList<>();
    g.get("edges").forEach(e -> edges.add(e.get("source_node_id").asText() + " -> "
        + e.get("target_node_id").asText() + " : " + e.get("path").asText()));
    assertEquals(List.of("task:t_A -> task:t_B : DATA/a.csv", "task:t_B -> task:t_C : DATA/b.csv"), edges);
    assertEquals("transform", g.get("nodes").get(0).get("task").get("task_type").asText());
  }

  @Test
  void lineage_pathAtRunLevel_startsAtTheFile() {
    Result r = cli.run("lineage", "--path", "DATA/b.csv", "--level", "run", "--format", "json");

    assertEquals(0, r.exitCode(), r.err());
    JsonNode g = Json.one(r.out());
    assertEquals("file:DATA/b.csv", g.get("start_node_id").asText());
    assertEquals("FILE", g.get("nodes").get(0).get("kind").asText());
    Map<String, String> taskOfRunNode = new HashMap<>();
    g.get("nodes").forEach(n -> {
      if (n.has("run")) {
        taskOfRunNode.put(n.get("id").asText(), n.get("run").get("task_id").asText());
      }
    });
    List<String> edges = new ArrayList<>();
    g.get("edges").forEach(e -> edges.add(taskOfRunNode.getOrDefault(e.get("source_node_id").asText(), "file")
        + " -> " + taskOfRunNode.getOrDefault(e.get("target_node_id").asText(), "file")));
    assertEquals(3, edges.size(), edges.toString());
    assertEquals(Set.of("t_A -> t_B", "t_B -> file", "file -> t_C"), Set.copyOf(edges), "run ids order nodes and edges");
  }

  @Test
  void lineage_outputFile_writesTheDocumentThere() throws Exception {
    Path file = cli.root().resolve("out/pipeline.dot");

    Result r = cli.run("lineage", "--task", "t_B", "--format", "dot", "-o", file.toString());

    assertEquals(0, r.exitCode(), r.err());
    assertEquals("", r.out());
    assertTrue(r.err().contains("Wrote the lineage of task t_B to " + file), r.err());
    assertTrue(Files.readString(file).contains("\"task:t_A\" -> \"task:t_B\""));
  }

  @Test
  void lineage_svg_isWellFormedWhenGraphvizIsInstalled() throws Exception {
    assumeTrue(onPath("dot"), "Graphviz's dot is not installed");

    Result r = cli.run("lineage", "--task", "t_B", "--format", "svg");

    assertEquals(0, r.exitCode(), r.err());
    Document svg = parse(r.out());
    assertEquals("svg", svg.getDocumentElement().getTagName());
    assertTrue(r.out().contains("DATA/a.csv") && r.out().contains("t_C"), r.out());
  }

  @Test
  void graphviz_commandMissing_failsWithInstallHint() {
    CliFailure f = assertThrows(CliFailure.class, () -> new Graphviz("execlog-no-such-dot").svg("digraph {}"));

    assertEquals(ExitCode.ERROR, f.exitCode());
    assertTrue(f.getMessage().contains("not on PATH"), f.getMessage());
    assertTrue(f.hint().contains("apt-get install graphviz"), f.hint());
  }

  @Test
  void lineage_noStart_isUsageError() {
    assertEquals(2, cli.run("lineage").exitCode());
    assertEquals(2, cli.run("lineage", "--task", "t_A", "--run", "x").exitCode());
  }

  @Test
  void lineage_unknownTask_exitsNotFound() {
    assertEquals(3, cli.run("lineage", "--task", "t_none").exitCode());
  }

  static boolean onPath(String command) {
    String path = System.getenv("PATH");
    return path != null && Arrays.stream(path.split(File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
  }

  /** Parses XML with the JDK, without fetching DTDs (Graphviz names the SVG 1.1 DTD). */
  static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<String> lines(String text, String containing) {
    return text.lines().filter(l -> l.contains(containing)).toList();
  }
}
