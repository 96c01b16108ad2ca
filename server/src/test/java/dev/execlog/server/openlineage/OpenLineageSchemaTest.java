package dev.execlog.server.openlineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The encoder's events against the official OpenLineage JSON schema and execlog's facet schemas. */
class OpenLineageSchemaTest {

  private static OpenLineageSchema schema;

  @BeforeAll
  static void loadSchema() {
    schema = new OpenLineageSchema();
  }

  private static ObjectNode complete() {
    Execution run = Execution.builder("run_ü_1", "t_1I").taskType("ingestion").success(true)
        .recordTimeMicros(1_772_366_430_250_123L).executionTime(12.5, false).hostname("worker-3")
        .inputFiles(List.of(new InputFile("raw", "data/raw 😀.csv")))
        .outputFiles(List.of(new OutputFile("s3://lake/out/a.parquet", "parquet", "rows")))
        .build();
    return new RunEventEncoder("execlog://build-farm").events(run).get(1);
  }

  @Test
  void encodedEvents_areValid() {
    Execution bare = Execution.builder("r", "t").recordTimeMicros(0).build();
    for (ObjectNode e : new RunEventEncoder("ns").events(bare)) {
      assertEquals(List.of(), schema.problems(e), e.toString());
    }
    assertEquals(List.of(), schema.problems(complete()));
  }

  @Test
  void eventMissingARequiredField_isInvalid() {
    List<Consumer<ObjectNode>> breaks = List.of(
        e -> e.remove("eventTime"),
        e -> e.remove("producer"),
        e -> e.remove("schemaURL"),
        e -> e.remove("run"),
        e -> e.remove("job"),
        e -> ((ObjectNode) e.get("run")).remove("runId"),
        e -> ((ObjectNode) e.get("job")).remove("name"),
        e -> ((ObjectNode) e.get("job")).remove("namespace"),
        e -> ((ObjectNode) e.at("/inputs/0")).remove("name"),
        e -> ((ObjectNode) e.at("/outputs/0")).remove("namespace"),
        e -> ((ObjectNode) e.at("/run/facets/processing_engine")).remove("_producer"),
        e -> ((ObjectNode) e.at("/job/facets/jobType")).remove("integration"),
        e -> ((ObjectNode) e.at("/run/facets/execlog_execution")).remove("runId"),
        e -> ((ObjectNode) e.at("/inputs/0/inputFacets/execlog_input")).remove("_schemaURL"));
    for (int i = 0; i < breaks.size(); i++) {
      ObjectNode e = complete();
      breaks.get(i).accept(e);
      assertFalse(schema.problems(e).isEmpty(), "break #" + i + " went unnoticed: " + e);
    }
  }

  @Test
  void eventWithWrongValues_isInvalid() {
    List<Consumer<ObjectNode>> breaks = List.of(
        e -> ((ObjectNode) e.get("run")).put("runId", "run_1"),
        e -> e.put("eventTime", "yesterday"),
        e -> e.put("eventType", "DONE"),
        e -> ((ObjectNode) e.at("/run/facets/execlog_execution")).put("executionTime", "12.5 s"));
    for (int i = 0; i < breaks.size(); i++) {
      ObjectNode e = complete();
      breaks.get(i).accept(e);
      assertFalse(schema.problems(e).isEmpty(), "break #" + i + " went unnoticed: " + e);
    }
  }
}
