package dev.execlog.server.openlineage;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execlog.BuildInfo;

/**
 * The facets execlog's run events carry. Each facet has the spec's {@code _producer} and
 * {@code _schemaURL}: the standard ones point at their versioned schema on openlineage.io, the
 * custom ones ({@code execlog_} keys, {@code Execlog...Facet} names, as the spec's custom-facet
 * naming asks) at execlog's own, published in the repository under {@code docs/openlineage/}.
 */
final class Facets {

  /** The event's and every facet's producer: this server, by version. */
  static final String PRODUCER = "https://execlog.dev/execlog-server/" + BuildInfo.VERSION;
  /** The OpenLineage schema the events follow. */
  static final String RUN_EVENT_SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
  static final String PROCESSING_ENGINE_SCHEMA =
      "https://openlineage.io/spec/facets/1-1-1/ProcessingEngineRunFacet.json#/$defs/ProcessingEngineRunFacet";
  static final String JOB_TYPE_SCHEMA = "https://openlineage.io/spec/facets/2-0-4/JobTypeJobFacet.json#/$defs/JobTypeJobFacet";
  /** Where execlog's custom facet schemas live; {@code docs/openlineage/facets/1-0-0/} holds the copies. */
  static final String CUSTOM_SCHEMA_BASE = "https://execlog.dev/spec/openlineage/facets/1-0-0/";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private Facets() {}

  /** {@code processing_engine}: execlog and its version. */
  static ObjectNode processingEngine() {
    return facet(PROCESSING_ENGINE_SCHEMA).put("version", BuildInfo.VERSION).put("name", "execlog");
  }

  /** {@code jobType}: a batch task run by execlog's users and recorded by execlog. */
  static ObjectNode jobType() {
    return facet(JOB_TYPE_SCHEMA).put("processingType", "BATCH").put("integration", "EXECLOG").put("jobType", "TASK");
  }

  /** {@code execlog_execution} (ExeclogExecutionRunFacet): what the log holds of a run beyond lineage. */
  static ObjectNode execution(String runId, String taskType, String hostname, double executionTimeSeconds,
      String reportPath, boolean success) {
    ObjectNode f = custom("ExeclogExecutionRunFacet").put("runId", runId).put("taskType", taskType)
        .put("hostname", hostname);
    if (Double.isFinite(executionTimeSeconds)) {
      f.put("executionTime", executionTimeSeconds);
    }
    return f.put("reportPath", reportPath).put("success", success);
  }

  /** {@code execlog_input} (ExeclogInputInputDatasetFacet): the name the run gave an input file. */
  static ObjectNode input(String name) {
    return custom("ExeclogInputInputDatasetFacet").put("name", name);
  }

  /** {@code execlog_output} (ExeclogOutputOutputDatasetFacet): an output file's type and description. */
  static ObjectNode output(String type, String description) {
    return custom("ExeclogOutputOutputDatasetFacet").put("type", type).put("description", description);
  }

  private static ObjectNode custom(String name) {
    return facet(CUSTOM_SCHEMA_BASE + name + ".json#/$defs/" + name);
  }

  private static ObjectNode facet(String schemaUrl) {
    return JSON.objectNode().put("_producer", PRODUCER).put("_schemaURL", schemaUrl);
  }
}
