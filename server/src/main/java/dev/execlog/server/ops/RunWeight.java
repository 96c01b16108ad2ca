package dev.execlog.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execlog.server.json.JsonValues;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import java.util.Map;

/**
 * How many bytes a run takes in a response: the UTF-8 of its texts and extra values plus a little
 * framing per entry. Close to its protobuf size without building the message, so a run is refused
 * before it is stored rather than after it has made history pages too big to read.
 */
final class RunWeight {

  /** Ids, times, flags and the message framing of a run without its texts. */
  private static final int RUN_OVERHEAD = 96;
  private static final int ENTRY_OVERHEAD = 12;

  private RunWeight() {}

  static long of(Execution run) {
    long bytes = RUN_OVERHEAD + utf8(run.runId()) + utf8(run.taskId()) + utf8(run.taskType())
        + utf8(run.reportPath()) + utf8(run.hostname()) + extras(run.extraFields());
    for (InputFile f : run.inputFiles()) {
      bytes += ENTRY_OVERHEAD + utf8(f.name()) + utf8(f.path()) + extras(f.extraFields());
    }
    for (OutputFile f : run.outputFiles()) {
      bytes += ENTRY_OVERHEAD + utf8(f.path()) + utf8(f.type()) + utf8(f.description()) + extras(f.extraFields());
    }
    return bytes;
  }

  private static long extras(Map<String, JsonNode> fields) {
    long bytes = 0;
    for (Map.Entry<String, JsonNode> e : fields.entrySet()) {
      bytes += ENTRY_OVERHEAD + utf8(e.getKey()) + utf8(JsonValues.text(e.getValue()));
    }
    return bytes;
  }

  /** The UTF-8 length of {@code s}, counted without encoding it. */
  static long utf8(String s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }
}
