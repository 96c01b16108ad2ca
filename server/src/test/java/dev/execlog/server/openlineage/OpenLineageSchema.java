package dev.execlog.server.openlineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The official OpenLineage schema (test resources, release 1.52.0, spec 2-0-2) and execlog's own
 * facet schemas (docs/openlineage), resolved offline: validates a RunEvent as a whole, then each
 * facet it carries against the schema its {@code _schemaURL} names, formats (uuid, date-time,
 * uri) asserted.
 */
public final class OpenLineageSchema {

  private static final String OPENLINEAGE = "https://openlineage.io/spec/";
  private static final String EXECLOG = "https://execlog.dev/spec/openlineage/";

  private final SchemaRegistry registry;
  private final Schema spec;
  private final Schema runEvent;

  public OpenLineageSchema() {
    Path docs = repoRoot().resolve("docs/openlineage");
    registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, b -> b
        .schemaIdResolvers(r -> r.mapPrefix(OPENLINEAGE, "classpath:openlineage/spec/"))
        .schemas(id -> id.startsWith(EXECLOG) ? read(docs.resolve(id.substring(EXECLOG.length()))) : null));
    spec = registry.getSchema(SchemaLocation.of(OPENLINEAGE + "2-0-2/OpenLineage.json"));
    // The spec's top level is oneOf RunEvent, DatasetEvent, JobEvent; an event without its run
    // still passes as a JobEvent there, so a run event is also checked against RunEvent itself.
    runEvent = registry.getSchema(SchemaLocation.of(OPENLINEAGE + "2-0-2/OpenLineage.json#/$defs/RunEvent"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every problem of {@code event}: the event against the spec and its RunEvent definition, then
   * each facet against the schema its {@code _schemaURL} names.
   */
  public List<String> problems(JsonNode event) {
    List<String> problems = new ArrayList<>();
    collect(spec, event, "", problems);
    collect(runEvent, event, "", problems);
    facets(event.path("run").path("facets"), "/run/facets", problems);
    facets(event.path("job").path("facets"), "/job/facets", problems);
    for (String side : List.of("inputs", "outputs")) {
      JsonNode list = event.path(side);
      for (int i = 0; i < list.size(); i++) {
        String at = "/" + side + "/" + i;
        facets(list.get(i).path("facets"), at + "/facets", problems);
        facets(list.get(i).path(side.equals("inputs") ? "inputFacets" : "outputFacets"), at, problems);
      }
    }
    return problems;
  }

  private void facets(JsonNode facets, String at, List<String> problems) {
    for (Iterator<Map.Entry<String, JsonNode>> it = facets.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> facet = it.next();
      String url = facet.getValue().path("_schemaURL").asText("");
      if (url.isEmpty()) {
        problems.add(at + "/" + facet.getKey() + ": no _schemaURL");
        continue;
      }
      collect(registry.getSchema(SchemaLocation.of(url)), facet.getValue(), at + "/" + facet.getKey(), problems);
    }
  }

  private static void collect(Schema schema, JsonNode node, String at, List<String> problems) {
    for (Error e : schema.validate(node, ctx -> ctx.executionConfig(c -> c.formatAssertionsEnabled(true)))) {
      problems.add(at + e.getInstanceLocation() + ": " + e.getMessage());
    }
  }

  /** The checkout's root: the tests run in the module's folder. */
  private static Path repoRoot() {
    Path here = Path.of("").toAbsolutePath();
    while (here != null && !Files.isDirectory(here.resolve("docs/openlineage"))) {
      here = here.getParent();
    }
    if (here == null) {
      throw new IllegalStateException("docs/openlineage not found above " + Path.of("").toAbsolutePath());
    }
    return here;
  }
}
