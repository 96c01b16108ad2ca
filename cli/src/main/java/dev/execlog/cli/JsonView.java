package dev.execlog.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execlog.client.model.CleanupResult;
import dev.execlog.client.model.DependencyReport;
import dev.execlog.client.model.ExecutionChange;
import dev.execlog.client.model.ExportResult;
import dev.execlog.client.model.ImportResult;
import dev.execlog.client.model.InputFile;
import dev.execlog.client.model.LineageGraph;
import dev.execlog.client.model.LogInfo;
import dev.execlog.client.model.OutputFile;
import dev.execlog.client.model.Run;
import dev.execlog.client.model.StatisticsReport;
import dev.execlog.client.model.TaskStatistics;
import dev.execlog.client.model.TaskSummary;
import dev.execlog.client.model.ValidationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON shape of each model type. Field names are the log file's snake_case keys (task_run_id,
 * timestamp, execution_time, ...) and never change once released: scripts depend on them.
 * Times are ISO-8601 in UTC; durations are seconds.
 */
final class JsonView {

  private final ObjectMapper mapper;

  JsonView(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * A run as the log file holds it: the spec's keys, then its extra keys as real JSON values. An
   * execution time recorded as an integer stays one.
   */
  ObjectNode run(Run r) {
    ObjectNode n = mapper.createObjectNode()
        .put("task_run_id", r.runId())
        .put("task_id", r.taskId())
        .put("task_type", r.taskType())
        .put("timestamp", time(r.recordTime()))
        .put("success", r.success());
    if (r.integerExecutionTime() && r.duration().getNano() == 0) {
      n.put("execution_time", r.duration().getSeconds());
    } else {
      n.put("execution_time", r.executionTimeSeconds());
    }
    n.put("report_path", r.reportPath());
    ArrayNode inputs = n.putArray("input_files");
    for (InputFile f : r.inputFiles()) {
      extra(inputs.addObject().put("name", f.name()).put("path", f.path()), f.extraFields());
    }
    ArrayNode outputs = n.putArray("output_files");
    for (OutputFile f : r.outputFiles()) {
      extra(outputs.addObject().put("path", f.path()).put("type", f.type()).put("description", f.description()),
          f.extraFields());
    }
    return extra(n.put("hostname", r.hostname()), r.extraFields());
  }

  /** Adds extra keys under their own names; the server never lets one shadow a spec key. */
  private static ObjectNode extra(ObjectNode n, Map<String, String> fields) {
    fields.forEach((key, text) -> n.set(key, JsonTexts.value(text)));
    return n;
  }

  ObjectNode task(TaskSummary t) {
    return mapper.createObjectNode()
        .put("task_id", t.taskId())
        .put("task_type", t.taskType())
        .put("last_execution", time(t.lastRecordTime()))
        .put("last_status", t.lastSuccess() ? "success" : "failed")
        .put("last_report_path", t.lastReportPath())
        .put("last_task_run_id", t.lastRunId())
        .put("run_count", t.runCount());
  }

  ObjectNode dependencies(DependencyReport report) {
    ObjectNode n = mapper.createObjectNode().put("satisfied", report.satisfied());
    ArrayNode deps = n.putArray("dependencies");
    for (DependencyReport.Dependency d : report.dependencies()) {
      ObjectNode dn = deps.addObject()
          .put("task_id", d.taskId())
          .put("state", d.state().name())
          .put("message", d.message());
      dn.set("latest_success", optionalRun(d.latestSuccess()));
      dn.set("latest", optionalRun(d.latest()));
      ArrayNode missing = dn.putArray("missing_output_paths");
      d.missingOutputPaths().forEach(missing::add);
    }
    return n;
  }

  /** The whole graph as one object: nodes (with their task or run) and edges, producer to consumer. */
  ObjectNode lineage(LineageGraph g) {
    ObjectNode n = mapper.createObjectNode().put("start_node_id", g.startNodeId()).put("truncated", g.truncated());
    ArrayNode nodes = n.putArray("nodes");
    for (LineageGraph.Node node : g.nodes()) {
      ObjectNode o = nodes.addObject()
          .put("id", node.id())
          .put("kind", node.kind().name())
          .put("label", node.label())
          .put("distance", node.distance());
      node.task().ifPresent(t -> o.set("task", task(t)));
      node.run().ifPresent(r -> o.set("run", run(r)));
      if (node.kind() == LineageGraph.Kind.FILE) {
        o.put("path", node.path());
      }
    }
    ArrayNode edges = n.putArray("edges");
    for (LineageGraph.Edge e : g.edges()) {
      edges.addObject().put("source_node_id", e.sourceNodeId()).put("target_node_id", e.targetNodeId())
          .put("path", e.path());
    }
    return n;
  }

  /** Figures per task and over all selected runs; durations in seconds like execution_time. */
  ObjectNode statistics(StatisticsReport r) {
    ObjectNode n = mapper.createObjectNode();
    n.set("total", taskStatistics(r.total()));
    ArrayNode tasks = n.putArray("tasks");
    r.tasks().forEach(t -> tasks.add(taskStatistics(t)));
    return n;
  }

  ObjectNode change(ExecutionChange c) {
    ObjectNode n = mapper.createObjectNode().put("change", c.kind().name()).put("sequence", c.sequence());
    n.set("run", run(c.run()));
    return n;
  }

  private ObjectNode taskStatistics(TaskStatistics t) {
    ObjectNode n = figures(mapper.createObjectNode().put("task_id", t.taskId().isEmpty() ? null : t.taskId()),
        t.overall());
    ArrayNode buckets = n.putArray("buckets");
    for (TaskStatistics.Bucket b : t.buckets()) {
      buckets.add(figures(mapper.createObjectNode().put("start", time(b.start())).put("end", time(b.end())),
          b.figures()));
    }
    return n;
  }

  private static ObjectNode figures(ObjectNode n, TaskStatistics.Figures f) {
    n.put("run_count", f.runCount()).put("success_count", f.successCount()).put("success_rate", f.successRate());
    n.put("mean_execution_time", seconds(f.mean()));
    n.put("p50_execution_time", seconds(f.p50()));
    n.put("p95_execution_time", seconds(f.p95()));
    n.put("max_execution_time", seconds(f.max()));
    return n;
  }

  private static Double seconds(Optional<Duration> d) {
    return d.map(x -> x.toNanos() / 1e9).orElse(null);
  }

  ObjectNode cleanup(CleanupResult r) {
    ObjectNode n = mapper.createObjectNode().put("removed_count", r.removedCount()).put("dry_run", r.dryRun());
    ArrayNode ids = n.putArray("removed_run_ids");
    r.removedRunIds().forEach(ids::add);
    return n;
  }

  ObjectNode validation(ValidationReport r) {
    ObjectNode n = mapper.createObjectNode().put("valid", r.valid()).put("checked_count", r.checkedCount());
    ArrayNode problems = n.putArray("problems");
    for (ValidationReport.Problem p : r.problems()) {
      problems.addObject().put("task_run_id", p.runId()).put("task_id", p.taskId())
          .put("field", p.field()).put("message", p.message());
    }
    return n;
  }

  ObjectNode export(ExportResult r, String destination) {
    return mapper.createObjectNode()
        .put("execution_count", r.executionCount())
        .put("size_bytes", r.sizeBytes())
        .put("sha256", r.sha256())
        .put("path", destination);
  }

  ObjectNode imported(ImportResult r) {
    return mapper.createObjectNode()
        .put("imported_count", r.importedCount())
        .put("skipped_count", r.skippedCount())
        .put("execution_count", r.executionCount())
        .put("dry_run", r.dryRun());
  }

  ObjectNode info(LogInfo i) {
    return mapper.createObjectNode()
        .put("path", i.path())
        .put("project_root", i.projectRoot())
        .put("execution_count", i.executionCount())
        .put("task_count", i.taskCount())
        .put("size_bytes", i.sizeBytes())
        .put("last_modified", time(i.lastModified()))
        .put("created", time(i.created()))
        .put("version", i.version())
        .put("server_version", i.serverVersion())
        .put("server_commit", i.serverCommit())
        .put("server_id", i.serverId())
        .put("store", i.store());
  }

  private ObjectNode optionalRun(Optional<Run> run) {
    return run.map(this::run).orElse(null);
  }

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
