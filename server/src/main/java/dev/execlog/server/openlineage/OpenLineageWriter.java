package dev.execlog.server.openlineage;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execlog.server.json.LogSnapshot;
import dev.execlog.server.model.Execution;
import dev.execlog.server.ops.ProgressSink;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes runs as newline-delimited OpenLineage run events: one compact JSON RunEvent per line,
 * UTF-8, each run's events together and the runs in the order given. Streams, one run at a time.
 */
public final class OpenLineageWriter {

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
      .build();

  private final RunEventEncoder encoder;

  public OpenLineageWriter(RunEventEncoder encoder) {
    this.encoder = encoder;
  }

  /** Writes the events of the snapshot's runs; returns how many were written (runs without a time are left out). */
  public long write(LogSnapshot snapshot, OutputStream out, ProgressSink progress) throws IOException {
    OutputStream buffered = new BufferedOutputStream(out, 1 << 16);
    long written = 0;
    long done = 0;
    for (Execution run : snapshot.executions()) {
      List<ObjectNode> events = encoder.events(run);
      for (ObjectNode event : events) {
        buffered.write(MAPPER.writeValueAsBytes(event));
        buffered.write('\n');
      }
      written += events.isEmpty() ? 0 : 1;
      if ((++done & 0x3ff) == 0) {
        progress.checkCancelled();
        progress.report("write", done, snapshot.executionCount(), "exporting");
      }
    }
    buffered.flush();
    return written;
  }
}
