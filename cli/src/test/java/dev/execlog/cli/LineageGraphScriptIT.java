package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * Runs examples/lineage-graph/draw.sh with the packaged CLI jar against a real server, as a user
 * would, and checks both drawings. Failsafe runs it after package, when the jar exists.
 */
class LineageGraphScriptIT {

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension();

  @TempDir
  Path work;

  private static Path repo() {
    return Path.of(System.getProperty("execlog.repoDir", "..")).toAbsolutePath().normalize();
  }

  private static Path jar() {
    return Path.of(System.getProperty("execlog.cliJar",
        repo().resolve("cli/target/execlog-cli-0.1.0-all.jar").toString()));
  }

  @Test
  void draw_demoPipeline_writesLineageAndDurationSvgs() throws Exception {
    Path jar = jar();
    assumeTrue(Files.isRegularFile(jar), "the CLI jar is built by 'mvn package': " + jar);
    assumeTrue(LineageCommandTest.onPath("dot"), "Graphviz's dot is not installed");
    ProcessBuilder pb = new ProcessBuilder("bash", repo().resolve("examples/lineage-graph/draw.sh").toString())
        .directory(work.toFile()).redirectErrorStream(true);
    pb.environment().put("EXECLOG_SERVER", cli.address());
    pb.environment().put("EXECLOG", "java -jar " + jar);
    pb.environment().put("OUT_DIR", work.resolve("drawings").toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the script finished");

    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("└── demo_ingest  via DATA/processed/demo_ingest/customers.csv"), output);
    Document pipeline = LineageCommandTest.parse(Files.readString(work.resolve("drawings/pipeline.svg")));
    assertEquals("svg", pipeline.getDocumentElement().getTagName());
    String labels = pipeline.getDocumentElement().getTextContent();
    for (String task : new String[] {"demo_ingest", "demo_clean", "demo_profile", "demo_report"}) {
      assertTrue(labels.contains(task), task + " is drawn: " + labels);
    }
    Document durations = LineageCommandTest.parse(Files.readString(work.resolve("drawings/durations.svg")));
    assertTrue(durations.getDocumentElement().getTextContent().contains("2026-03-03"), "one bar group per day");
    assertEquals(1 + 2 + 3 * 2, durations.getElementsByTagName("rect").getLength(), "three days of bars");
  }
}
