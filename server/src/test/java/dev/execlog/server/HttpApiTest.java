package dev.execlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execlog.server.http.HttpGateway;
import dev.execlog.server.security.AuthConfig;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP/JSON API over real HTTP: each route, the error bodies, and, over HTTPS, tokens and roles. */
class HttpApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Answer(int code, JsonNode body) {
    String reason() {
      return body.path("error").path("details").path(0).path("reason").asText();
    }
  }

  static Answer send(HttpClient client, String method, String url, String body, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    return new Answer(response.statusCode(), JSON.readTree(response.body()));
  }

  private static final String RUN = """
      {"taskId": "t_1I", "taskType": "ingestion", "success": true, "duration": "45.200s",
       "outputFiles": [{"path": "DATA/processed/t_1I/customers.csv"}]}""";

  @Nested
  class OnThisMachine {

    @RegisterExtension
    final LogServerExtension server = LogServerExtension.overLoopback();

    private HttpGateway http;
    private final HttpClient client = HttpClient.newHttpClient();
    private String base;

    @BeforeEach
    void start() throws Exception {
      http = HttpGateway.start(new InetSocketAddress("127.0.0.1", 0), null, null, server.server().inProcessChannel(),
          1 << 20);
      base = "http://127.0.0.1:" + http.port() + "/v1";
    }

    @AfterEach
    void stop() {
      http.close();
    }

    @Test
    void recordGetListAndTasks_answerInTheProtobufJsonMapping() throws Exception {
      Answer recorded = send(client, "POST", base + "/executions", RUN, null);
      assertEquals(201, recorded.code(), recorded.body().toString());
      String runId = recorded.body().path("execution").path("runId").asText();
      assertEquals("45.200s", recorded.body().path("execution").path("duration").asText());
      send(client, "POST", base + "/executions", RUN.replace("45.200s", "3s"), null);

      Answer one = send(client, "GET", base + "/executions/" + runId, null, null);
      assertEquals(200, one.code());
      assertEquals("t_1I", one.body().path("execution").path("taskId").asText());
      assertEquals("DATA/processed/t_1I/customers.csv",
          one.body().path("execution").path("outputFiles").path(0).path("path").asText());

      // Both spellings of a field name work, and page tokens go on where the page stopped.
      List<String> seen = new ArrayList<>();
      String token = "";
      do {
        Answer page = send(client, "GET", base + "/executions?task_id=t_1I&pageSize=1&page_token=" + token, null, null);
        assertEquals(200, page.code());
        page.body().path("executions").forEach(e -> seen.add(e.path("runId").asText()));
        token = page.body().path("nextPageToken").asText();
      } while (!token.isEmpty());
      assertEquals(2, seen.size());
      assertTrue(seen.contains(runId));

      Answer tasks = send(client, "GET", base + "/tasks", null, null);
      assertEquals(2, tasks.body().path("tasks").path(0).path("runCount").asInt(), tasks.body().toString());
      Answer latest = send(client, "GET", base + "/tasks/t_1I/latest", null, null);
      assertEquals("3s", latest.body().path("execution").path("duration").asText());
      Answer producer = send(client, "GET", base + "/producers?path=DATA/processed/t_1I/customers.csv", null, null);
      assertEquals(200, producer.code(), producer.body().toString());
      Answer stats = send(client, "GET", base + "/tasks/t_1I/statistics", null, null);
      assertEquals(2, stats.body().path("total").path("overall").path("runCount").asInt(), stats.body().toString());
      Answer lineage = send(client, "GET", base + "/lineage?task_id=t_1I&direction=LINEAGE_DIRECTION_DOWNSTREAM",
          null, null);
      assertEquals(200, lineage.code(), lineage.body().toString());
      Answer deps = send(client, "POST", base + "/dependencies:check", "{\"taskIds\": [\"t_1I\"]}", null);
      assertEquals(200, deps.code(), deps.body().toString());
      assertTrue(deps.body().path("satisfied").asBoolean(), deps.body().toString());
      Answer info = send(client, "GET", base + "/log", null, null);
      assertEquals(2, info.body().path("executionCount").asInt());
      Answer removed = send(client, "DELETE", base + "/executions/" + runId, null, null);
      assertEquals(200, removed.code());
      assertEquals(1, send(client, "GET", base + "/log", null, null).body().path("executionCount").asInt());
    }

    @Test
    void validateStreamsJsonLines_exportStreamsTheFile() throws Exception {
      for (int i = 0; i < 3; i++) {
        assertEquals(201, send(client, "POST", base + "/executions", RUN, null).code());
      }
      HttpResponse<String> validate = client.send(HttpRequest.newBuilder(URI.create(base + "/log:validate"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, validate.statusCode());
      assertTrue(validate.headers().firstValue("Content-Type").orElse("").startsWith("application/x-ndjson"));
      List<JsonNode> lines = new ArrayList<>();
      for (String line : validate.body().split("\n")) {
        lines.add(JSON.readTree(line));
      }
      assertTrue(lines.size() >= 2 && lines.get(0).has("progress"), validate.body());
      assertTrue(lines.get(lines.size() - 1).path("result").path("valid").asBoolean(), validate.body());

      HttpResponse<String> json = client.send(HttpRequest.newBuilder(URI.create(base + "/log:export")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, json.statusCode());
      assertEquals(3, JSON.readTree(json.body()).path("executions").size(), "the log file's own format");
      HttpResponse<String> csv = client.send(HttpRequest.newBuilder(
          URI.create(base + "/log:export?format=EXPORT_FORMAT_CSV&task_id=t_1I")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertTrue(csv.body().startsWith("task_id,task_type,task_run_id,"), csv.body());
      assertEquals(4, csv.body().lines().count(), "a header and a row per run");
      HttpResponse<String> lineage = client.send(HttpRequest.newBuilder(
          URI.create(base + "/log:export?format=EXPORT_FORMAT_OPENLINEAGE&namespace=execlog://ci")).build(),
          HttpResponse.BodyHandlers.ofString());
      List<String> events = lineage.body().lines().toList();
      assertEquals(6, events.size(), "a START and a COMPLETE per run: " + lineage.body());
      assertEquals("execlog://ci", JSON.readTree(events.get(0)).path("job").path("namespace").asText());
      Answer refused = send(client, "GET", base + "/log:export?format=EXPORT_FORMAT_XML", null, null);
      assertEquals(400, refused.code(), "a request refused at once is still an HTTP error");
    }

    /** One server-sent event: its id (or null), name and data. */
    record Event(String id, String name, JsonNode data) {}

    private Event nextEvent(Iterator<String> lines) throws Exception {
      String id = null;
      String name = null;
      String data = null;
      while (lines.hasNext()) {
        String line = lines.next();
        if (line.isEmpty() && name != null) {
          return new Event(id, name, JSON.readTree(data));
        } else if (line.startsWith("id: ")) {
          id = line.substring(4);
        } else if (line.startsWith("event: ")) {
          name = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data = line.substring(6);
        }
      }
      throw new AssertionError("the event stream ended");
    }

    @Test
    void changeFeed_asServerSentEvents_resumesAfterLastEventId() throws Exception {
      HttpResponse<Stream<String>> first = client.send(HttpRequest.newBuilder(
          URI.create(base + "/executions:watch?task_id=t_1I")).build(), HttpResponse.BodyHandlers.ofLines());
      assertEquals(200, first.statusCode());
      assertTrue(first.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
      Iterator<String> lines = first.body().iterator();
      Event started = nextEvent(lines);
      assertEquals("started", started.name());
      assertFalse(started.data().path("resumed").asBoolean());
      send(client, "POST", base + "/executions", RUN, null);
      Event change = nextEvent(lines);
      assertEquals("change", change.name());
      assertEquals("CHANGE_KIND_RECORDED", change.data().path("kind").asText());
      assertEquals(started.data().path("feedId").asText() + "." + change.data().path("sequence").asText(), change.id());
      first.body().close();  // the browser goes away...

      send(client, "POST", base + "/executions", RUN.replace("45.200s", "1s"), null);
      send(client, "POST", base + "/executions", RUN.replace("t_1I", "t_other"), null);
      send(client, "POST", base + "/executions", RUN.replace("45.200s", "2s"), null);
      // ...and comes back, as EventSource does, with the id of the last event it got.
      HttpResponse<Stream<String>> again = client.send(HttpRequest.newBuilder(
          URI.create(base + "/executions:watch?task_id=t_1I")).header("Last-Event-ID", change.id()).build(),
          HttpResponse.BodyHandlers.ofLines());
      Iterator<String> more = again.body().iterator();
      assertTrue(nextEvent(more).data().path("resumed").asBoolean());
      assertEquals("1s", nextEvent(more).data().path("execution").path("duration").asText());
      assertEquals("2s", nextEvent(more).data().path("execution").path("duration").asText(),
          "the missed changes of its task, in order, then the live ones");
      again.body().close();
    }

    @Test
    void errors_areJsonBodiesWithTheContractsReasons() throws Exception {
      Answer missing = send(client, "GET", base + "/executions/0000", null, null);
      assertEquals(404, missing.code());
      assertEquals("NOT_FOUND", missing.body().path("error").path("status").asText());
      assertEquals("RUN_NOT_FOUND", missing.reason());
      assertEquals("0000", missing.body().path("error").path("details").path(0).path("metadata").path("run_id").asText());

      Answer badField = send(client, "POST", base + "/executions", "{\"taskType\": \"x\"}", null);
      assertEquals(400, badField.code());
      assertEquals("INVALID_FIELD", badField.reason());
      assertEquals("execution.task_id",
          badField.body().path("error").path("details").path(0).path("metadata").path("field").asText());
      Answer unknownParameter = send(client, "GET", base + "/executions?colour=red", null, null);
      assertEquals(400, unknownParameter.code());
      assertEquals("colour", unknownParameter.body().path("error").path("details").path(0).path("metadata")
          .path("field").asText());
      Answer notJson = send(client, "POST", base + "/executions", "{task", null);
      assertEquals(400, notJson.code());
      assertEquals("body", notJson.body().path("error").path("details").path(0).path("metadata").path("field").asText());
      assertEquals(405, send(client, "PUT", base + "/executions", "{}", null).code());
      assertEquals(404, send(client, "GET", base + "/nothing", null, null).code());
      assertEquals(0, send(client, "GET", base + "/log", null, null).body().path("executionCount").asInt(),
          "no refused request changed anything");
    }
  }

  @Nested
  class OverHttpsWithTokens {

    @TempDir
    Path dir;

    @RegisterExtension
    final AuditLines audit = new AuditLines();

    private ExecLogServer server;
    private HttpGateway http;
    private HttpClient client;
    private String base;

    @BeforeEach
    void start() throws Exception {
      Path cert = dir.resolve("cert.pem");
      Path key = dir.resolve("key.pem");
      Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
          "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
          "-keyout", key.toString(), "-out", cert.toString()).redirectErrorStream(true).start();
      openssl.getInputStream().readAllBytes();
      assertTrue(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl made a certificate");
      Path root = Files.createDirectories(dir.resolve("project"));
      server = ExecLogServer.start(ServerConfig.forProject(root)
          .withAuth(AuthConfig.load(SecurityTest.writeAuthFile(dir))), InProcessServerBuilder.forName("http-" + dir));
      http = HttpGateway.start(new InetSocketAddress("127.0.0.1", 0), cert, key, server.inProcessChannel(), 1 << 20);
      base = "https://127.0.0.1:" + http.port() + "/v1";
      client = HttpClient.newBuilder().sslContext(trusting(cert)).build();
    }

    @AfterEach
    void stop() {
      http.close();
      server.close();
    }

    private static SSLContext trusting(Path cert) throws Exception {
      KeyStore trusted = KeyStore.getInstance("PKCS12");
      trusted.load(null, null);
      try (InputStream in = Files.newInputStream(cert)) {
        trusted.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(null, trust.getTrustManagers(), null);
      return tls;
    }

    @Test
    void tokensAndRoles_areTheGrpcPorts() throws Exception {
      Answer nobody = send(client, "GET", base + "/log", null, null);
      assertEquals(401, nobody.code());
      assertEquals("UNAUTHENTICATED", nobody.reason());
      Answer reader = send(client, "POST", base + "/executions", RUN, SecurityTest.READER);
      assertEquals(403, reader.code());
      assertEquals("ROLE_TOO_LOW", reader.reason());
      Answer writer = send(client, "POST", base + "/executions", RUN, SecurityTest.WRITER);
      assertEquals(201, writer.code(), writer.body().toString());
      // The audit names the HTTP client, not the gateway's in-process channel.
      assertTrue(audit.lines().stream().anyMatch(l -> l.matches(
          "audit: ci-runner \\(writer\\) from 127\\.0\\.0\\.1:\\d+ \\(HTTP\\) RecordExecution recorded run .*")),
          audit.lines().toString());
      assertTrue(audit.lines().stream().anyMatch(l -> l.contains("(HTTP) GetLogInfo refused: UNAUTHENTICATED")),
          audit.lines().toString());
      Answer read = send(client, "GET", base + "/executions?task_id=t_1I", null, SecurityTest.READER);
      assertEquals(200, read.code());
      assertEquals(1, read.body().path("executions").size());
    }
  }
}
