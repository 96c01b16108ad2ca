package dev.execlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execlog.server.json.LogFileCodec;
import dev.execlog.server.json.LogFormatException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.LogMetadata;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The three kinds of journal entry. Each is absolute (the whole run, not a delta), so replaying a
 * segment that was already folded into the file gives the same state again.
 */
final class JournalEntries {

  /** What replay does with the entries it reads. */
  interface Target {
    void put(Execution run);

    void delete(String runId);

    void clear(LogMetadata metadata);
  }

  private final LogFileCodec codec;
  private final ObjectMapper mapper;

  JournalEntries(LogFileCodec codec) {
    this.codec = codec;
    this.mapper = codec.mapper();
  }

  String put(Execution run) {
    return "{\"op\":\"put\",\"run\":" + codec.writeRun(run) + "}";
  }

  String delete(String runId) {
    ObjectNode node = mapper.createObjectNode().put("op", "delete").put("run_id", runId);
    return node.toString();
  }

  String deleteMany(java.util.Collection<String> runIds) {
    ObjectNode node = mapper.createObjectNode().put("op", "delete_many");
    var ids = node.putArray("run_ids");
    runIds.forEach(ids::add);
    return node.toString();
  }

  String clear(LogMetadata metadata) {
    ObjectNode node = mapper.createObjectNode().put("op", "clear");
    ObjectNode meta = node.putObject("meta");
    if (metadata.createdText() != null) {
      meta.put("timestamp", metadata.createdText());
    }
    meta.put("version", metadata.version());
    meta.set("extra", mapper.valueToTree(metadata.extraFields()));
    meta.set("task_extra", mapper.valueToTree(metadata.taskExtraFields()));
    return node.toString();
  }

  void apply(String json, Target target) throws LogFormatException {
    JsonNode node;
    try {
      node = mapper.readTree(json);
    } catch (Exception e) {
      throw new LogFormatException("journal entry is not JSON: " + e.getMessage(), e);
    }
    switch (node.path("op").asText()) {
      case "put" -> target.put(codec.readRun(node.get("run").toString()));
      case "delete" -> target.delete(node.path("run_id").asText());
      case "delete_many" -> node.path("run_ids").forEach(id -> target.delete(id.asText()));
      case "clear" -> target.clear(readMetadata(node.path("meta")));
      default -> throw new LogFormatException("unknown journal entry " + node.path("op"));
    }
  }

  private LogMetadata readMetadata(JsonNode meta) {
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    meta.path("extra").fields().forEachRemaining(e -> extra.put(e.getKey(), e.getValue()));
    Map<String, Map<String, JsonNode>> taskExtra = new LinkedHashMap<>();
    meta.path("task_extra").fields().forEachRemaining(e -> {
      Map<String, JsonNode> fields = new LinkedHashMap<>();
      e.getValue().fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue()));
      taskExtra.put(e.getKey(), fields);
    });
    String created = meta.hasNonNull("timestamp") ? meta.get("timestamp").asText() : null;
    return new LogMetadata(created, meta.path("version").asText(LogMetadata.FORMAT_VERSION), extra, taskExtra);
  }
}
