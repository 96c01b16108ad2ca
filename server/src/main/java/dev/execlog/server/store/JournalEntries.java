package dev.execlog.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execlog.server.json.LogFileCodec;
import dev.execlog.server.json.LogFormatException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.LogMetadata;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The kinds of journal entry. Each is absolute (the whole run, not a delta), so replaying a
 * segment that was already folded into the file gives the same state again. Entries between a
 * {@code begin} and an {@code end} line are one unit: a change the client sees as one operation (an
 * import) is applied on replay whole or, when a crash tore it before its {@code end}, not at all.
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
  /** The entries of the unit being replayed, decoded but not applied yet; null outside a unit. */
  private List<Consumer<Target>> openUnit;

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

  String deleteMany(Collection<String> runIds) {
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

  String beginUnit() {
    return "{\"op\":\"begin\"}";
  }

  String endUnit() {
    return "{\"op\":\"end\"}";
  }

  void apply(String json, Target target) throws LogFormatException {
    JsonNode node;
    try {
      node = mapper.readTree(json);
    } catch (Exception e) {
      throw new LogFormatException("journal entry is not JSON: " + e.getMessage(), e);
    }
    String op = node.path("op").asText();
    if (op.equals("format")) {
      int version = node.path("version").asInt(-1);
      if (version < 1 || version > Journal.FORMAT) {
        throw new LogFormatException("the segment is in journal format " + version + ", and this server reads"
            + " formats 1 to " + Journal.FORMAT + ": start the execlog version that wrote it, which folds its"
            + " journal into the log file when it starts");
      }
      return;
    }
    if (op.equals("begin")) {
      if (openUnit != null) {
        throw new LogFormatException("a unit begins inside another");
      }
      openUnit = new ArrayList<>();
      return;
    }
    if (op.equals("end")) {
      if (openUnit == null) {
        throw new LogFormatException("a unit ends that never began");
      }
      List<Consumer<Target>> unit = openUnit;
      openUnit = null;
      unit.forEach(entry -> entry.accept(target));
      return;
    }
    Consumer<Target> entry = decode(op, node);
    if (openUnit != null) {
      openUnit.add(entry);
    } else {
      entry.accept(target);
    }
  }

  /**
   * Drops a unit whose end never reached the disk (the operation was never acknowledged); called at
   * the end of each segment, since a unit never spans two. Returns how many entries it held.
   */
  int discardOpenUnit() {
    int dropped = openUnit == null ? 0 : openUnit.size();
    openUnit = null;
    return dropped;
  }

  private Consumer<Target> decode(String op, JsonNode node) throws LogFormatException {
    return switch (op) {
      case "put" -> {
        Execution run = codec.readRun(node.get("run").toString());
        yield target -> target.put(run);
      }
      case "delete" -> {
        String runId = node.path("run_id").asText();
        yield target -> target.delete(runId);
      }
      case "delete_many" -> {
        List<String> ids = new ArrayList<>();
        node.path("run_ids").forEach(id -> ids.add(id.asText()));
        yield target -> ids.forEach(target::delete);
      }
      case "clear" -> {
        LogMetadata metadata = readMetadata(node.path("meta"));
        yield target -> target.clear(metadata);
      }
      default -> throw new LogFormatException("unknown journal entry " + node.path("op"));
    };
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
