package dev.execlog.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execlog.server.http.HttpGateway;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web view's files over real HTTP: the redirect to /ui/, the content types, the security and
 * cache headers, conditional and compressed answers, and that no path under /ui/ reaches anything
 * but the view's own files.
 */
class HttpWebViewTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  final LogServerExtension server = LogServerExtension.overLoopback();

  private HttpGateway http;
  private final HttpClient client = HttpClient.newHttpClient();
  private String base;

  @BeforeEach
  void start() throws Exception {
    http = HttpGateway.start(new InetSocketAddress("127.0.0.1", 0), null, null, server.server().inProcessChannel(),
        1 << 20);
    base = "http://127.0.0.1:" + http.port();
  }

  @AfterEach
  void stop() {
    http.close();
  }

  private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse("");
  }

  private static void assertHardened(HttpResponse<?> response) {
    assertEquals("nosniff", header(response, "X-Content-Type-Options"));
    String csp = header(response, "Content-Security-Policy");
    assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self'")
        && csp.contains("style-src 'self'") && csp.contains("connect-src 'self'")
        && csp.contains("frame-ancestors 'none'"), csp);
    assertFalse(csp.contains("unsafe"), "no inline or eval'd script or style: " + csp);
  }

  @Test
  void rootRedirectsToTheView_whoseFilesComeWithTheirTypesAndHeaders() throws Exception {
    HttpResponse<byte[]> root = get("/");
    assertEquals(302, root.statusCode());
    assertEquals("/ui/", header(root, "Location"));
    assertEquals("/ui/", header(get("/ui"), "Location"));

    HttpResponse<byte[]> page = get("/ui/");
    assertEquals(200, page.statusCode());
    assertEquals("text/html; charset=utf-8", header(page, "Content-Type"));
    assertEquals("no-cache", header(page, "Cache-Control"), "the page is revalidated, so a new release shows at once");
    assertHardened(page);
    String html = new String(page.body(), StandardCharsets.UTF_8);
    assertArrayEquals(page.body(), get("/ui/index.html").body());
    assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(html).find(), "no inline script: " + html);
    assertFalse(html.contains("style="), "no inline style");
    assertFalse(html.contains("//cdn") || html.contains("http://") || html.contains("https://"),
        "every asset comes from this server: " + html);

    // Each file the page names: its type, and cached for good (its name changes with its content).
    List<String> named = new ArrayList<>();
    Matcher m = Pattern.compile("(?:src|href)=\"([^\"#]+)\"").matcher(html);
    while (m.find()) {
      named.add(m.group(1));
    }
    assertTrue(named.stream().anyMatch(n -> n.endsWith(".js")) && named.stream().anyMatch(n -> n.endsWith(".css")),
        named.toString());
    for (String name : named) {
      HttpResponse<byte[]> asset = get("/ui/" + name);
      assertEquals(200, asset.statusCode(), name);
      assertHardened(asset);
      String type = header(asset, "Content-Type");
      if (name.endsWith(".js")) {
        assertEquals("text/javascript; charset=utf-8", type);
        assertEquals("public, max-age=31536000, immutable", header(asset, "Cache-Control"));
        assertTrue(asset.body().length > 100_000, "the bundle holds the graph and chart libraries");
      } else if (name.endsWith(".css")) {
        assertEquals("text/css; charset=utf-8", type);
        assertEquals("public, max-age=31536000, immutable", header(asset, "Cache-Control"));
      } else if (name.endsWith(".svg")) {
        assertEquals("image/svg+xml", type);
      }

      // Revalidation answers 304 without a body; gzip when asked, the same bytes once inflated.
      String etag = header(asset, "ETag");
      assertTrue(etag.startsWith("\""), etag);
      HttpResponse<byte[]> again = get("/ui/" + name, "If-None-Match", etag);
      assertEquals(304, again.statusCode(), name);
      assertEquals(0, again.body().length);
      HttpResponse<byte[]> gzipped = get("/ui/" + name, "Accept-Encoding", "gzip");
      if (header(gzipped, "Content-Encoding").equals("gzip")) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
          assertArrayEquals(asset.body(), in.readAllBytes(), name);
        }
        assertTrue(gzipped.body().length < asset.body().length);
      } else {
        assertTrue(name.endsWith(".svg"), name + " is text and should be compressed");
      }
    }
    HttpResponse<byte[]> bundle = get("/ui/" + named.stream().filter(n -> n.endsWith(".js")).findFirst().orElseThrow(),
        "Accept-Encoding", "gzip");
    assertEquals("gzip", header(bundle, "Content-Encoding"));
    assertEquals("Accept-Encoding", header(bundle, "Vary"));
  }

  /** Status line and body of a request sent byte for byte, so no client normalizes its path first. */
  private String[] raw(String method, String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", http.port())) {
      OutputStream out = socket.getOutputStream();
      out.write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      String status = answer.isEmpty() ? "" : answer.substring(0, answer.indexOf('\r'));
      return new String[] {status, answer};
    }
  }

  @Test
  void noPathUnderUiReachesAnythingButTheViewsFiles() throws Exception {
    String index = new String(get("/ui/").body(), StandardCharsets.UTF_8);
    String script = index.replaceAll("(?s).*src=\"([^\"]+\\.js)\".*", "$1");
    assertEquals(200, get("/ui/" + script).statusCode());
    List<String> escapes = List.of(
        "/ui/../pom.xml", "/ui/../../../../../../etc/passwd", "/ui/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/ui/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/ui/%252e%252e/etc/passwd", "/ui//etc/passwd",
        "/ui/..\\..\\..\\etc\\passwd", "/ui/./index.html/../../assets.txt", "/ui/../assets.txt", "/ui/assets.txt",
        "/ui/../../../dev/execlog/server/ServerMain.class", "/ui/dev/execlog/web/ui/index.html",
        "/ui/META-INF/MANIFEST.MF", "/ui/index.html%00.js", "/ui/" + script + "/..", "/ui/" + script + "%00",
        "/ui/." + script, "/ui/" + script.toUpperCase(), "/ui/%69ndex.html", "/ui/nothing.js", "/etc/passwd",
        "/ui/../v1/log", "/uix/index.html");
    for (String path : escapes) {
      String[] answer = raw("GET", path);
      assertTrue(answer[0].contains(" 404 ") || answer[0].contains(" 400 "), path + " answered " + answer[0]);
      assertFalse(answer[1].contains("root:") || answer[1].contains("<project") || answer[1].contains("executionCount")
          || answer[1].contains("immutable "), path + " leaked: " + answer[1]);
    }
    HttpResponse<byte[]> missing = get("/ui/nothing.js");
    assertEquals(404, missing.statusCode());
    assertHardened(missing);
    JsonNode error = JSON.readTree(missing.body());
    assertEquals("NOT_FOUND", error.path("error").path("status").asText(), error.toString());

    // The view is read-only.
    String[] post = raw("POST", "/ui/");
    assertTrue(post[0].contains(" 405 "), post[0]);
    assertTrue(post[1].contains("Allow: GET, HEAD"), post[1]);
    String[] head = raw("HEAD", "/ui/index.html");
    assertTrue(head[0].contains(" 200 "), head[0]);
    assertFalse(head[1].contains("<html"), "HEAD has no body");
  }

  @Test
  void statisticsOfEveryTask_forTheTasksScreen() throws Exception {
    for (String task : List.of("t_A", "t_B", "t_B")) {
      HttpResponse<String> recorded = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/executions"))
          .POST(HttpRequest.BodyPublishers.ofString(
              "{\"taskId\": \"" + task + "\", \"taskType\": \"x\", \"success\": true, \"duration\": \"2s\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, recorded.statusCode(), recorded.body());
    }
    HttpResponse<byte[]> stats = get("/v1/tasks:statistics?start_time=2000-01-01T00:00:00Z");
    assertEquals(200, stats.statusCode());
    JsonNode body = JSON.readTree(stats.body());
    assertEquals(3, body.path("total").path("overall").path("runCount").asInt(), body.toString());
    assertEquals("t_B", body.path("tasks").path(1).path("taskId").asText());
    assertEquals(2, body.path("tasks").path(1).path("overall").path("runCount").asInt());
    assertNotEquals(200, get("/v1/tasks:statistics?colour=red").statusCode());
  }
}
