package dev.execlog.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.execlog.client.ExecutionLogClient.Format;
import dev.execlog.client.ProgressListener;
import dev.execlog.client.model.ExecutionChange;
import dev.execlog.client.model.ExportSelection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The OpenLineage side of {@code execlog watch}: each change a watch delivers becomes the run
 * events the server's OpenLineage export gives for that run (one encoder, so a watch and an export
 * agree event for event), printed one per line or posted to an OpenLineage endpoint. A recorded run
 * gives its START and COMPLETE or FAIL; an updated run an OTHER event with its new datasets and
 * facets (the spec allows one terminal event per run, and OTHER for metadata after it); a removal
 * nothing, since OpenLineage has no way to retract a run.
 */
final class LineageStream {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Session session;
  private final String namespace;
  private final LineagePoster poster;
  private final PrintWriter out;

  /** @param poster where to post, or null to print the events to {@code out} */
  LineageStream(Session session, String namespace, LineagePoster poster, PrintWriter out) {
    this.session = session;
    this.namespace = namespace;
    this.poster = poster;
    this.out = out;
  }

  void emit(ExecutionChange change) throws InterruptedException {
    if (change.kind() != ExecutionChange.Kind.RECORDED && change.kind() != ExecutionChange.Kind.UPDATED) {
      return;
    }
    String runId = change.run().runId();
    List<String> events = events(runId);
    if (events.isEmpty()) {
      session.verbose("run " + runId + " is gone from the log; no OpenLineage events");
      return;
    }
    if (change.kind() == ExecutionChange.Kind.UPDATED) {
      events = List.of(asOther(events.get(events.size() - 1)));
    }
    for (String event : events) {
      if (poster == null) {
        out.println(event);
        out.flush();
      } else {
        poster.post(event);
        session.verbose("posted an OpenLineage event of run " + runId + " to " + poster.endpoint());
      }
    }
  }

  private List<String> events(String runId) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ExportSelection selection = new ExportSelection(null, runId, namespace);
    session.call("export run " + runId + " as OpenLineage events",
        () -> session.client().exportSelected(Format.OPENLINEAGE, selection, bytes, ProgressListener.NONE));
    return bytes.toString(StandardCharsets.UTF_8).lines().filter(l -> !l.isEmpty()).toList();
  }

  private static String asOther(String terminalEvent) {
    try {
      ObjectNode e = (ObjectNode) JSON.readTree(terminalEvent);
      e.put("eventType", "OTHER");
      e.put("eventTime", Instant.now().toString());
      return JSON.writeValueAsString(e);
    } catch (IOException e) {
      throw new UncheckedIOException("the server's OpenLineage event is not JSON", e);
    }
  }
}
