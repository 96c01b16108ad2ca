package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.execlog.cli.CliServerExtension.Result;
import dev.execlog.cli.CliServerExtension.Running;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** export --format openlineage and watch --format openlineage / --post against a real server. */
class OpenLineageCommandsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension();

  @TempDir
  Path dir;

  private HttpServer endpoint;

  @AfterEach
  void stopEndpoint() {
    if (endpoint != null) {
      endpoint.stop(0);
    }
  }

  private static List<String> types(List<JsonNode> events) {
    return events.stream().map(e -> e.path("eventType").asText()).toList();
  }

  @Test
  void export_openlineage_writesStartAndEndPerRun_inTheNamespace() throws Exception {
    String first = cli.record("t_1I", "ingestion", "--duration", "30s", "--time", "2026-05-01T10:00:30Z",
        "--output", "DATA/clean/a.csv::csv::cleaned");
    cli.record("t_2C", "cleaning", "--failed", "--input", "a=DATA/clean/a.csv");

    Result r = cli.run("export", "--format", "openlineage", "--namespace", "execlog://ci", "--no-progress");

    assertEquals(0, r.exitCode(), r.err());
    List<JsonNode> events = Json.lines(r.out());
    assertEquals(List.of("START", "COMPLETE", "START", "FAIL"), types(events), r.out());
    JsonNode start = events.get(0);
    assertEquals("2026-05-01T10:00:00Z", start.path("eventTime").asText());
    assertEquals("2026-05-01T10:00:30Z", events.get(1).path("eventTime").asText());
    assertEquals("execlog://ci", start.at("/job/namespace").asText());
    assertEquals("t_1I", start.at("/job/name").asText());
    assertEquals(first, start.at("/run/facets/execlog_execution/runId").asText());
    UUID.fromString(start.at("/run/runId").asText());
    assertEquals("DATA/clean/a.csv", events.get(1).at("/outputs/0/name").asText());
    assertEquals("DATA/clean/a.csv", events.get(3).at("/inputs/0/name").asText());
    assertEquals("https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent", start.path("schemaURL").asText());
  }

  @Test
  void export_openlineageToFile_isTheSameAsOnStdout() throws Exception {
    cli.record("t_1I", "ingestion");
    Path file = dir.resolve("lineage.ndjson");

    Result r = cli.run("export", "--format", "openlineage", "--namespace", "ns", "-o", file.toString(), "--no-progress");

    assertEquals(0, r.exitCode(), r.err());
    String stdout = cli.run("export", "--format", "openlineage", "--namespace", "ns", "--no-progress").out();
    assertEquals(stdout, Files.readString(file));
  }

  @Test
  void namespaceWithoutOpenlineage_isUsageError() {
    assertEquals(2, cli.run("export", "--namespace", "ns").exitCode());
    assertEquals(2, cli.run("watch", "--namespace", "ns").exitCode());
    assertEquals(2, cli.run("watch", "--json", "--post", "http://localhost:5000").exitCode());
    assertEquals(2, cli.run("watch", "--post", "marquez:5000").exitCode());
  }

  @Test
  void watch_openlineage_printsTheExportsEvents_andOtherForAnUpdate() throws Exception {
    Running running = cli.start("watch", "--format", "openlineage", "--namespace", "ns", "--count", "2", "--verbose");
    running.awaitErr("watching changes after #", WAIT);

    String id = cli.record("t_1I", "ingestion", "--failed");
    Instant beforeUpdate = Instant.now();
    assertEquals(0, cli.run("update", id, "--output", "DATA/late.csv").exitCode());
    Result r = running.await(WAIT);

    assertEquals(0, r.exitCode(), r.err());
    List<JsonNode> events = Json.lines(r.out());
    assertEquals(List.of("START", "FAIL", "OTHER"), types(events), r.out());
    List<JsonNode> exported = Json.lines(cli.run("export", "--format", "openlineage", "--namespace", "ns").out());
    // The export came after the update, the watch's START before it: all but the outputs agree.
    ((ObjectNode) exported.get(0)).remove("outputs");
    ((ObjectNode) events.get(0)).remove("outputs");
    assertEquals(exported.get(0), events.get(0), "a watch and an export agree");
    assertEquals(exported.get(1).at("/run/runId"), events.get(2).at("/run/runId"));
    assertEquals("DATA/late.csv", events.get(2).at("/outputs/0/name").asText());
    assertTrue(!Instant.parse(events.get(2).path("eventTime").asText()).isBefore(beforeUpdate.minusSeconds(1)));
  }

  @Test
  void watch_post_sendsEachEventToTheEndpoint_retryingAnUnavailableOne() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    List<String> auth = new CopyOnWriteArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    endpoint.createContext("/api/v1/lineage", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int code = calls.incrementAndGet() == 1 ? 503 : 201;
      if (code == 201) {
        bodies.add(new String(body, StandardCharsets.UTF_8));
        auth.add(exchange.getRequestHeaders().getFirst("Authorization"));
      }
      exchange.sendResponseHeaders(code, -1);
      exchange.close();
    });
    endpoint.start();
    String url = "http://127.0.0.1:" + endpoint.getAddress().getPort();

    Running running = cli.start(Map.of("OPENLINEAGE_API_KEY", "k-123"), null, "watch", "--post", url, "--count", "1",
        "--verbose");
    running.awaitErr("watching changes after #", WAIT);
    String id = cli.record("t_1I", "ingestion");
    Result r = running.await(WAIT);

    assertEquals(0, r.exitCode(), r.err());
    assertEquals("", r.out(), "posted events are not printed");
    assertEquals(3, calls.get(), "the 503 was retried");
    List<JsonNode> events = bodies.stream().map(b -> Json.one(b)).toList();
    assertEquals(List.of("START", "COMPLETE"), types(events));
    assertEquals(id, events.get(0).at("/run/facets/execlog_execution/runId").asText());
    assertEquals(List.of("Bearer k-123", "Bearer k-123"), auth);
  }

  @Test
  void watch_post_endpointRefusingTheEvent_stopsWithError() throws Exception {
    endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    endpoint.createContext("/", exchange -> {
      byte[] answer = "{\"error\":\"bad event\"}".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(422, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    endpoint.start();
    String url = "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/custom/lineage";

    Running running = cli.start("watch", "--post", url, "--verbose");
    running.awaitErr("watching changes after #", WAIT);
    cli.record("t_1I", "ingestion");
    Result r = running.await(WAIT);

    assertEquals(1, r.exitCode(), r.err());
    assertTrue(r.err().contains("/custom/lineage: HTTP 422: {\"error\":\"bad event\"} (the event was refused)"), r.err());
  }

}
