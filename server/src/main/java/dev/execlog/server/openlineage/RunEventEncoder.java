package dev.execlog.server.openlineage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/**
 * Turns one run into its OpenLineage run events (spec 2-0-2): a START at its record time minus its
 * execution time, then a COMPLETE, or a FAIL when it did not succeed, at its record time. The job
 * is {namespace, task id}; the run id is {@link RunUuids#of}; the datasets are its files
 * ({@link DatasetNames}); the rest of the run goes into {@link Facets}. Both events carry the same
 * datasets and facets, so a consumer that reads only one of them still has the whole run.
 */
public final class RunEventEncoder {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final String namespace;

  public RunEventEncoder(String namespace) {
    this.namespace = namespace;
  }

  /** The job namespace used when none is given: {@code execlog://} and this machine's host name. */
  public static String defaultNamespace() {
    return "execlog://" + DefaultHost.NAME;
  }

  public String namespace() {
    return namespace;
  }

  /** The run's two events, or none for a run without a readable record time. */
  public List<ObjectNode> events(Execution run) {
    if (!run.hasValidTime()) {
      return List.of();
    }
    Instant end = Instant.EPOCH.plus(run.recordTimeMicros(), ChronoUnit.MICROS);
    double seconds = run.executionTimeSeconds();
    Instant start = Double.isFinite(seconds) && seconds > 0
        ? end.minusNanos(Math.round(Math.min(seconds, 1e9) * 1e9)) : end;
    return List.of(event("START", start, run), event(run.success() ? "COMPLETE" : "FAIL", end, run));
  }

  private ObjectNode event(String eventType, Instant time, Execution run) {
    ObjectNode e = JSON.objectNode();
    e.put("eventType", eventType);
    e.put("eventTime", DateTimeFormatter.ISO_INSTANT.format(time));
    ObjectNode r = e.putObject("run");
    r.put("runId", RunUuids.of(namespace, run.runId()).toString());
    ObjectNode runFacets = r.putObject("facets");
    runFacets.set("processing_engine", Facets.processingEngine());
    runFacets.set("execlog_execution", Facets.execution(run.runId(), run.taskType(), run.hostname(),
        run.executionTimeSeconds(), run.reportPath(), run.success()));
    ObjectNode job = e.putObject("job");
    job.put("namespace", namespace);
    job.put("name", run.taskId());
    job.putObject("facets").set("jobType", Facets.jobType());
    ArrayNode inputs = e.putArray("inputs");
    for (InputFile f : run.inputFiles()) {
      ObjectNode d = dataset(inputs, f.path());
      if (f.name() != null && !f.name().isEmpty()) {
        d.putObject("inputFacets").set("execlog_input", Facets.input(f.name()));
      }
    }
    ArrayNode outputs = e.putArray("outputs");
    for (OutputFile f : run.outputFiles()) {
      ObjectNode d = dataset(outputs, f.path());
      String type = f.type() == null ? "" : f.type();
      String description = f.description() == null ? "" : f.description();
      if (!type.isEmpty() || !description.isEmpty()) {
        d.putObject("outputFacets").set("execlog_output", Facets.output(type, description));
      }
    }
    e.put("producer", Facets.PRODUCER);
    e.put("schemaURL", Facets.RUN_EVENT_SCHEMA);
    return e;
  }

  private static ObjectNode dataset(ArrayNode list, String path) {
    DatasetNames names = DatasetNames.of(path);
    return list.addObject().put("namespace", names.namespace()).put("name", names.name());
  }

  /** Looked up once, on first use: a host without a resolvable name is {@code localhost}. */
  private static final class DefaultHost {
    static final String NAME = lookUp();

    private static String lookUp() {
      try {
        return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
      } catch (UnknownHostException e) {
        return "localhost";
      }
    }
  }
}
