package dev.execlog.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.execlog.client.ExecutionLogClient;
import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.InputFile;
import dev.execlog.client.model.OutputFile;
import dev.execlog.client.model.Page;
import dev.execlog.client.model.Run;
import java.io.IOException;
import java.io.InputStream;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runs a log holds, either listed over gRPC (every page of ListExecutions) or read straight
 * from the JSON file with Jackson, so both can be checked against the {@link CrashModel}.
 *
 * @param runs by run id (the first copy when an id is there twice)
 * @param count runs listed or in the file, duplicates included
 */
record CrashSnapshot(String source, Map<String, Run> runs, long count) {

  long duplicates() {
    return count - runs.size();
  }

  /** Every run, a page of 1000 at a time, newest first. */
  static CrashSnapshot list(ExecutionLogClient c) {
    Map<String, Run> runs = new HashMap<>();
    long count = 0;
    String token = "";
    do {
      Page<Run> page = c.listExecutions(HistoryQuery.all(), 1000, token);
      for (Run r : page.items()) {
        runs.putIfAbsent(r.runId(), r);
        count++;
      }
      token = page.nextPageToken();
    } while (!token.isEmpty());
    return new CrashSnapshot("listing", runs, count);
  }

  private static final Set<String> RUN_KEYS = Set.of("task_id", "task_type", "task_run_id", "timestamp",
      "success", "execution_time", "report_path", "input_files", "output_files", "hostname");

  /** The {@code executions} of the log file, each as the {@link Run} it stands for. */
  static CrashSnapshot readFile(Path file) throws IOException {
    JsonNode root;
    try (InputStream in = Files.newInputStream(file)) {
      root = CrashModel.JSON.readTree(in);
    }
    JsonNode executions = root.path("executions");
    if (!executions.isArray()) {
      throw new IOException(file + " has no executions array");
    }
    Map<String, Run> runs = new HashMap<>();
    long count = 0;
    for (JsonNode n : executions) {
      Run r = run(n);
      runs.putIfAbsent(r.runId(), r);
      count++;
    }
    return new CrashSnapshot("file", runs, count);
  }

  private static Run run(JsonNode n) throws JsonProcessingException {
    Map<String, String> extras = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!RUN_KEYS.contains(e.getKey())) {
        extras.put(e.getKey(), CrashModel.JSON.writeValueAsString(e.getValue()));
      }
    }
    List<InputFile> inputs = new ArrayList<>();
    for (JsonNode f : n.path("input_files")) {
      inputs.add(new InputFile(f.path("name").asText(), f.path("path").asText(),
          entryExtras(f, Set.of("name", "path"))));
    }
    List<OutputFile> outputs = new ArrayList<>();
    for (JsonNode f : n.path("output_files")) {
      if (f.isTextual()) {
        outputs.add(OutputFile.of(f.asText()));
      } else {
        outputs.add(new OutputFile(f.path("path").asText(), f.path("type").asText(), f.path("description").asText(),
            entryExtras(f, Set.of("path", "type", "description"))));
      }
    }
    JsonNode time = n.path("execution_time");
    Duration duration = time.isNumber()
        ? Duration.ofNanos(time.decimalValue().movePointRight(9).setScale(0, RoundingMode.HALF_EVEN).longValueExact())
        : Duration.ZERO;
    return new Run(n.path("task_run_id").asText(), n.path("task_id").asText(), n.path("task_type").asText(),
        instant(n.path("timestamp").asText()), n.path("success").asBoolean(), duration,
        n.path("report_path").asText(), inputs, outputs, n.path("hostname").asText(), extras,
        time.isIntegralNumber());
  }

  private static Map<String, String> entryExtras(JsonNode f, Set<String> known) throws JsonProcessingException {
    Map<String, String> extras = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!known.contains(e.getKey())) {
        extras.put(e.getKey(), CrashModel.JSON.writeValueAsString(e.getValue()));
      }
    }
    return extras;
  }

  /** A timestamp with an offset, or zone-less in this machine's zone (the server's, on loopback). */
  private static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(text).atZone(ZoneId.systemDefault()).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }
}
