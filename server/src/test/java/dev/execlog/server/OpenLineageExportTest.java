package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static dev.execlog.server.Runs.withFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execlog.server.openlineage.OpenLineageSchema;
import dev.execlog.server.openlineage.RunEventEncoder;
import dev.execlog.v1.ExportFormat;
import dev.execlog.v1.ExportLogRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ExportLog with EXPORT_FORMAT_OPENLINEAGE through a real server: every event valid against the spec. */
class OpenLineageExportTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final OpenLineageSchema SCHEMA = new OpenLineageSchema();

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  private static ExportLogRequest.Builder openLineage() {
    return ExportLogRequest.newBuilder().setFormat(ExportFormat.EXPORT_FORMAT_OPENLINEAGE);
  }

  private List<JsonNode> events(ExportLogRequest request) throws Exception {
    StreamCalls.Export export = StreamCalls.export(server.stub(), request);
    assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(export.text().getBytes(StandardCharsets.UTF_8))), export.result().getResult().getSha256());
    List<JsonNode> events = new ArrayList<>();
    for (String line : export.text().split("\n", -1)) {
      if (!line.isEmpty()) {
        JsonNode event = JSON.readTree(line);
        assertEquals(List.of(), SCHEMA.problems(event), line);
        events.add(event);
      }
    }
    assertEquals(events.size() / 2, export.result().getResult().getExecutionCount(), "two events per run");
    return events;
  }

  @Test
  void export_givesStartAndEndPerRun_validAgainstTheSpec() throws Exception {
    String first = server.stub().recordExecution(record(withFiles(run("t_1I"), "raw/a.csv", "clean/a.csv")))
        .getExecution().getRunId();
    server.stub().recordExecution(record(withFiles(run("t_2C").setSuccess(false), "clean/a.csv", "model/m.bin")));
    List<JsonNode> events = events(openLineage().setNamespace("execlog://ci").build());
    assertEquals(List.of("START", "COMPLETE", "START", "FAIL"),
        events.stream().map(e -> e.path("eventType").asText()).toList());
    assertEquals(first, events.get(0).at("/run/facets/execlog_execution/runId").asText());
    assertEquals("t_2C", events.get(3).at("/job/name").asText());
    assertEquals("execlog://ci", events.get(3).at("/job/namespace").asText());
    assertEquals("clean/a.csv", events.get(1).at("/outputs/0/name").asText());
    assertEquals("clean/a.csv", events.get(3).at("/inputs/0/name").asText(), "lineage joins on the path");
  }

  @Test
  void export_withoutNamespace_usesExeclogAndTheServersHostName() throws Exception {
    server.stub().recordExecution(record(run("t_1I")));
    List<JsonNode> events = events(openLineage().build());
    assertEquals(RunEventEncoder.defaultNamespace(), events.get(0).at("/job/namespace").asText());
  }

  @Test
  void export_ofOneRun_givesItsEventsOnly() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(server.stub().recordExecution(record(run("t_" + (i % 2)))).getExecution().getRunId());
    }
    List<JsonNode> events = events(openLineage().setRunId(ids.get(2)).build());
    assertEquals(2, events.size());
    assertEquals(ids.get(2), events.get(1).at("/run/facets/execlog_execution/runId").asText());
    assertEquals(List.of(), events(openLineage().setRunId(ids.get(2)).setTaskId("t_1").build()), "filters combine");
    assertEquals(4, events(openLineage().setTaskId("t_1").build()).size());
  }

  @Test
  void export_withBlankOrOverlongNamespace_isInvalidArgument() {
    for (String namespace : List.of(" ", "n".repeat(1025))) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> StreamCalls.export(server.stub(), openLineage().setNamespace(namespace).build()));
      ErrorDetails.assertReason(e, Status.Code.INVALID_ARGUMENT, "INVALID_FIELD", Map.of("field", "namespace"));
    }
  }
}
