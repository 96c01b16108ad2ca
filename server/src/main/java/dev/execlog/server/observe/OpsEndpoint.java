package dev.execlog.server.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The operator's HTTP port: {@code /metrics} in the Prometheus text format, {@code /healthz} (the
 * process answers) and {@code /readyz} (the log is loaded and its writer can write). Loopback by
 * default; it serves nothing of the log itself.
 */
public final class OpsEndpoint implements AutoCloseable {

  private final HttpServer http;
  private final ExecutorService threads;

  private OpsEndpoint(HttpServer http, ExecutorService threads) {
    this.http = http;
    this.threads = threads;
  }

  public static OpsEndpoint start(InetSocketAddress address, PrometheusRegistry registry, BooleanSupplier ready)
      throws IOException {
    HttpServer http = HttpServer.create(address, 16);
    http.createContext("/metrics", new MetricsHandler(registry));
    http.createContext("/healthz", exchange -> answer(exchange, 200, "ok\n"));
    http.createContext("/readyz", exchange -> {
      boolean isReady = ready.getAsBoolean();
      answer(exchange, isReady ? 200 : 503, isReady ? "ready\n" : "not ready: the log cannot be written now\n");
    });
    http.createContext("/", exchange -> answer(exchange, 404, "not found: try /metrics, /healthz or /readyz\n"));
    ExecutorService threads = Executors.newFixedThreadPool(2, runnable -> {
      Thread t = new Thread(runnable, "execlog-ops-http");
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(threads);
    http.start();
    return new OpsEndpoint(http, threads);
  }

  public int port() {
    return http.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int code, String body) throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    http.stop(0);
    threads.shutdownNow();
  }
}
