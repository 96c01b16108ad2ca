package dev.execlog.server.openlineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execlog.BuildInfo;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunEventEncoderTest {

  private static final String NS = "execlog://build-farm";
  private static final Instant RECORDED = Instant.parse("2026-03-01T12:00:30.250Z");

  private final RunEventEncoder encoder = new RunEventEncoder(NS);

  private static Execution.Builder run(String runId, boolean success) {
    return Execution.builder(runId, "t_1I").taskType("ingestion").success(success)
        .recordTimeMicros(ChronoUnit.MICROS.between(Instant.EPOCH, RECORDED))
        .executionTime(30.25, false).hostname("worker-3").reportPath("reports/t_1I.json")
        .inputFiles(List.of(new InputFile("raw", "data/raw.csv"), new InputFile("ref", "s3://lake/ref/codes.parquet")))
        .outputFiles(List.of(new OutputFile("out/clean.csv", "csv", "cleaned rows"), new OutputFile("out/bare.txt", "", "")));
  }

  @Test
  void successfulRun_startAtRecordTimeMinusDuration_completeAtRecordTime() {
    List<ObjectNode> events = encoder.events(run("run_1", true).build());
    assertEquals(2, events.size());
    assertEquals("START", events.get(0).get("eventType").asText());
    assertEquals("2026-03-01T12:00:00Z", events.get(0).get("eventTime").asText());
    assertEquals("COMPLETE", events.get(1).get("eventType").asText());
    assertEquals("2026-03-01T12:00:30.250Z", events.get(1).get("eventTime").asText());
    assertEquals(events.get(0).at("/run/runId"), events.get(1).at("/run/runId"));
  }

  @Test
  void failedRun_endsWithFail() {
    List<ObjectNode> events = encoder.events(run("run_2", false).build());
    assertEquals(List.of("START", "FAIL"), events.stream().map(e -> e.get("eventType").asText()).toList());
    assertFalse(events.get(1).at("/run/facets/execlog_execution/success").asBoolean());
  }

  @Test
  void runIdNotAUuid_becomesNameBasedUuidOfNamespaceAndId_originalInFacet() {
    ObjectNode e = encoder.events(run("run_1", true).build()).get(0);
    // Python: uuid.uuid5(uuid.NAMESPACE_URL, "execlog://build-farm/runs/run_1")
    assertEquals("f1ee3bdc-ab34-5c59-9e11-d05ed330eab1", e.at("/run/runId").asText());
    assertEquals("run_1", e.at("/run/facets/execlog_execution/runId").asText());
    assertEquals("e790dc7f-7c01-55d1-982a-4237e9269412",
        new RunEventEncoder("execlog://other").events(run("run_1", true).build()).get(0).at("/run/runId").asText());
  }

  @Test
  void runIdThatIsAUuid_isKept() {
    String id = "0f6d1a5e-3c1b-4f7a-9b8e-2d4c6a8e0b1c";
    assertEquals(id, encoder.events(run(id, true).build()).get(0).at("/run/runId").asText());
    assertEquals(id, encoder.events(run(id.toUpperCase(), true).build()).get(0).at("/run/runId").asText());
  }

  @Test
  void jobIsNamespaceAndTaskId_withBatchJobType() {
    JsonNode job = encoder.events(run("run_1", true).build()).get(1).get("job");
    assertEquals(NS, job.get("namespace").asText());
    assertEquals("t_1I", job.get("name").asText());
    assertEquals("BATCH", job.at("/facets/jobType/processingType").asText());
    assertEquals("EXECLOG", job.at("/facets/jobType/integration").asText());
  }

  @Test
  void files_becomeDatasets_withTheirNamesTypesAndDescriptionsInFacets() {
    ObjectNode e = encoder.events(run("run_1", true).build()).get(1);
    assertEquals("file", e.at("/inputs/0/namespace").asText());
    assertEquals("data/raw.csv", e.at("/inputs/0/name").asText());
    assertEquals("raw", e.at("/inputs/0/inputFacets/execlog_input/name").asText());
    assertEquals("s3://lake", e.at("/inputs/1/namespace").asText());
    assertEquals("ref/codes.parquet", e.at("/inputs/1/name").asText());
    assertEquals("out/clean.csv", e.at("/outputs/0/name").asText());
    assertEquals("csv", e.at("/outputs/0/outputFacets/execlog_output/type").asText());
    assertEquals("cleaned rows", e.at("/outputs/0/outputFacets/execlog_output/description").asText());
    assertTrue(e.at("/outputs/1/outputFacets").isMissingNode(), "a bare output path has no facet");
  }

  @Test
  void runFacets_keepTaskTypeHostDurationAndReport_everyFacetNamesProducerAndSchema() {
    ObjectNode e = encoder.events(run("run_1", true).build()).get(0);
    JsonNode x = e.at("/run/facets/execlog_execution");
    assertEquals("ingestion", x.get("taskType").asText());
    assertEquals("worker-3", x.get("hostname").asText());
    assertEquals(30.25, x.get("executionTime").asDouble());
    assertEquals("reports/t_1I.json", x.get("reportPath").asText());
    assertEquals("https://execlog.dev/execlog-server/" + BuildInfo.VERSION, e.get("producer").asText());
    assertEquals("https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent", e.get("schemaURL").asText());
    for (JsonNode facet : List.of(x, e.at("/run/facets/processing_engine"), e.at("/job/facets/jobType"),
        e.at("/inputs/0/inputFacets/execlog_input"), e.at("/outputs/0/outputFacets/execlog_output"))) {
      assertEquals(e.get("producer"), facet.get("_producer"));
      assertTrue(facet.get("_schemaURL").asText().startsWith("https://"), facet.toString());
    }
  }

  @Test
  void runWithoutReadableTime_hasNoEvents() {
    assertEquals(List.of(), encoder.events(run("run_1", true).recordTimeMicros(Execution.INVALID_TIME).build()));
  }

  @Test
  void zeroOrUnreadableDuration_startsAtRecordTime() {
    for (double seconds : new double[] {0, -5, Double.NaN}) {
      List<ObjectNode> events = encoder.events(run("run_1", true).executionTime(seconds, false).build());
      assertEquals(events.get(1).get("eventTime"), events.get(0).get("eventTime"), "duration " + seconds);
    }
  }

  @Test
  void datasetNames_followTheNamingConventions() {
    assertEquals(new DatasetNames("file", "/srv/data/a.csv"), DatasetNames.of("/srv/data/a.csv"));
    assertEquals(new DatasetNames("file", "/srv/data/a.csv"), DatasetNames.of("file:///srv/data/a.csv"));
    assertEquals(new DatasetNames("file://nas1", "/share/a.csv"), DatasetNames.of("file://nas1/share/a.csv"));
    assertEquals(new DatasetNames("gs://bucket", "dir/a.csv"), DatasetNames.of("gs://bucket/dir/a.csv"));
    assertEquals(new DatasetNames("hdfs://nn:8020", "/warehouse/a"), DatasetNames.of("hdfs://nn:8020/warehouse/a"));
    assertEquals(new DatasetNames("file", "C:\\data\\a.csv"), DatasetNames.of("C:\\data\\a.csv"));
  }
}
