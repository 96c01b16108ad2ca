package dev.execlog.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogGeneratorTest {

  private static final Instant END = Instant.parse("2026-09-01T00:00:00Z");

  @Test
  void generatesTheSpecShape(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("execution_log.json");
    LogGenerator.Scan scan = new LogGenerator(100, 7, END, 20).write(file);
    JsonNode root = new ObjectMapper().readTree(file.toFile());

    assertEquals(Set.of("tasks", "executions", "timestamp", "version", "last_modified"), fieldNames(root));
    JsonNode runs = root.get("executions");
    assertEquals(100, runs.size());
    assertEquals(100, scan.runs);

    Set<String> runKeys = Set.of("task_id", "task_type", "task_run_id", "timestamp", "success", "execution_time",
        "report_path", "input_files", "output_files", "hostname");
    Map<String, JsonNode> newest = new HashMap<>();
    Set<String> ids = new HashSet<>();
    Set<String> outputs = new HashSet<>();
    long previous = Long.MIN_VALUE;
    for (JsonNode run : runs) {
      assertEquals(runKeys, fieldNames(run));
      String id = run.get("task_run_id").asText();
      assertEquals(id, UUID.fromString(id).toString());
      assertTrue(ids.add(id), "duplicate run id " + id);
      OffsetDateTime t = OffsetDateTime.parse(run.get("timestamp").asText());
      assertTrue(run.get("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00"));
      long micros = LogGenerator.toMicros(t.toInstant());
      assertTrue(micros >= previous, "runs in time order");
      previous = micros;
      assertFalse(t.toInstant().isAfter(END));
      assertFalse(t.toInstant().isBefore(END.minusSeconds(90L * 86400)));
      assertEquals(2, run.get("input_files").size());
      assertEquals(3, run.get("output_files").size());
      for (JsonNode in : run.get("input_files")) {
        assertEquals(Set.of("name", "path"), fieldNames(in));
      }
      for (JsonNode out : run.get("output_files")) {
        assertEquals(Set.of("path", "type", "description"), fieldNames(out));
        outputs.add(out.get("path").asText());
      }
      newest.put(run.get("task_id").asText(), run);
    }
    assertTrue(newest.size() > 10 && newest.size() <= 50, "tasks: " + newest.size());
    assertTrue(LogGenerator.taskIds().containsAll(newest.keySet()));

    // Lineage: some runs read what other runs wrote.
    long lineage = 0;
    for (JsonNode run : runs) {
      for (JsonNode in : run.get("input_files")) {
        if (outputs.contains(in.get("path").asText())) {
          lineage++;
        }
      }
    }
    assertTrue(lineage > 20, "inputs produced by other runs: " + lineage);

    // The tasks map describes each task's newest run.
    JsonNode tasks = root.get("tasks");
    assertEquals(newest.keySet(), fieldNames(tasks));
    for (Map.Entry<String, JsonNode> e : newest.entrySet()) {
      JsonNode summary = tasks.get(e.getKey());
      JsonNode run = e.getValue();
      assertEquals(Set.of("task_type", "last_execution", "last_status", "last_report_path", "last_task_run_id"),
          fieldNames(summary));
      assertEquals(run.get("task_run_id").asText(), summary.get("last_task_run_id").asText());
      assertEquals(run.get("task_type").asText(), summary.get("task_type").asText());
      assertEquals(run.get("report_path").asText(), summary.get("last_report_path").asText());
      assertEquals(run.get("success").asBoolean() ? "success" : "failed", summary.get("last_status").asText());
      assertTrue(summary.get("last_execution").isIntegralNumber());
      assertEquals(OffsetDateTime.parse(run.get("timestamp").asText()).toEpochSecond(),
          summary.get("last_execution").asLong());
    }

    // Samples name real runs and outputs; pretty-printed at indent 2, about 1.2 KB a run.
    assertEquals(20, scan.sampleRunIds.size());
    assertTrue(ids.containsAll(scan.sampleRunIds));
    assertTrue(outputs.containsAll(scan.sampleOutputPaths));
    List<String> lines = Files.readAllLines(file);
    assertEquals("  \"tasks\": {", lines.get(1));
    long perRun = Files.size(file) / 100;
    assertTrue(perRun > 1000 && perRun < 1500, "bytes per run: " + perRun);
  }

  @Test
  void isDeterministic(@TempDir Path dir) throws Exception {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    new LogGenerator(50, 3, END, 10).write(a);
    new LogGenerator(50, 3, END, 10).write(b);
    assertEquals(-1, Files.mismatch(a, b));
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new HashSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
