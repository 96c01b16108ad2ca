package dev.execlog.server.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.grpc.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The read-only web view: {@code GET /} redirects to {@code /ui/}, and {@code /ui/NAME} answers the
 * files the web module built (web/, packaged under {@code dev/execlog/web/ui/}). Only the files
 * listed in its {@code assets.txt} exist: they are read into memory once, and a request names one of
 * them exactly or gets 404, so no path (dots, encoded slashes, anything) reaches a file system or
 * another resource. The page gets its data from the API under /v1/ with the user's token, so
 * the files themselves are public. Every answer forbids sniffing, framing and any script, style
 * or connection that is not this origin's.
 */
final class WebView implements HttpHandler {

  static final String RESOURCES = "dev/execlog/web/";

  /** Scripts, styles, images and API calls from this origin only; nothing inline, no frames, no plugins. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
      + "form-action 'none'; frame-ancestors 'none'";

  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png",
      "txt", "text/plain; charset=utf-8",
      "json", "application/json; charset=utf-8");

  /** One file of the view, with its gzip form when that is smaller. */
  record Asset(byte[] bytes, byte[] gzipped, String type, String etag, boolean immutable) {}

  private final Map<String, Asset> assets;

  private WebView(Map<String, Asset> assets) {
    this.assets = assets;
  }

  /** The view packaged on the class path; empty (every /ui/ path 404) in a build without it. */
  static WebView fromClassPath() {
    ClassLoader loader = WebView.class.getClassLoader();
    Map<String, Asset> assets = new HashMap<>();
    byte[] list = read(loader, RESOURCES + "assets.txt");
    if (list != null) {
      for (String line : new String(list, StandardCharsets.UTF_8).split("\n")) {
        String[] parts = line.strip().split(" ");
        if (parts.length != 2) {
          continue;
        }
        String name = parts[1];
        byte[] bytes = read(loader, RESOURCES + "ui/" + name);
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (bytes == null || type == null) {
          throw new IllegalStateException("the web view lists " + name + " but has no such file, or no type for it");
        }
        byte[] gzipped = type.startsWith("text/") || type.startsWith("image/svg") || type.startsWith("application/json")
            ? gzip(bytes) : null;
        assets.put(name, new Asset(bytes, gzipped != null && gzipped.length < bytes.length ? gzipped : null, type,
            "\"" + sha256(bytes).substring(0, 32) + "\"", parts[0].equals("immutable")));
      }
    }
    return new WebView(Map.copyOf(assets));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod();
      Headers headers = exchange.getResponseHeaders();
      headers.set("X-Content-Type-Options", "nosniff");
      headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      headers.set("X-Frame-Options", "DENY");
      headers.set("Referrer-Policy", "no-referrer");
      if (path.equals("/") || path.equals("/ui")) {
        if (!readOnly(method, exchange)) {
          return;
        }
        headers.set("Location", "/ui/");
        headers.set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(302, -1);
        return;
      }
      Asset asset = null;
      if (path.startsWith("/ui/")) {
        String name = path.substring("/ui/".length());
        asset = assets.get(name.isEmpty() ? "index.html" : name);
      }
      if (asset == null) {
        JsonTranscoder.send(exchange, 404, HttpErrors.body(Status.NOT_FOUND.withDescription(assets.isEmpty()
            ? "this server was built without its web view"
            : "no resource " + path + "; the web view is at /ui/ and the API under /v1/").asRuntimeException()));
        return;
      }
      if (!readOnly(method, exchange)) {
        return;
      }
      headers.set("Content-Type", asset.type());
      headers.set("ETag", asset.etag());
      headers.set("Cache-Control", asset.immutable() ? "public, max-age=31536000, immutable" : "no-cache");
      headers.set("Vary", "Accept-Encoding");
      String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
      if (ifNoneMatch != null && (ifNoneMatch.contains(asset.etag()) || ifNoneMatch.strip().equals("*"))) {
        exchange.sendResponseHeaders(304, -1);
        return;
      }
      byte[] body = asset.bytes();
      String accepts = exchange.getRequestHeaders().getFirst("Accept-Encoding");
      if (asset.gzipped() != null && accepts != null && accepts.contains("gzip")) {
        headers.set("Content-Encoding", "gzip");
        body = asset.gzipped();
      }
      if (method.equals("HEAD")) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Whether the method only reads; else answers 405. */
  private static boolean readOnly(String method, HttpExchange exchange) throws IOException {
    if (method.equals("GET") || method.equals("HEAD")) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
    JsonTranscoder.send(exchange, 405, HttpErrors.body(Status.UNIMPLEMENTED
        .withDescription("the web view is read-only: " + method + " is not allowed").asRuntimeException()));
    return false;
  }

  private static byte[] read(ClassLoader loader, String name) {
    try (InputStream in = loader.getResourceAsStream(name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the web view's " + name, e);
    }
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(buffer)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.toByteArray();
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
