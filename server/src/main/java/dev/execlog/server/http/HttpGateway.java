package dev.execlog.server.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The optional HTTP/JSON port ({@code --http-port}): the API of {@link HttpRoutes} over HTTP, or
 * HTTPS with the gRPC port's certificate and key, and the read-only web view ({@link WebView}) at
 * /ui/. It holds no logic of its own: every request is a call on the server's service through
 * {@code service}.
 */
public final class HttpGateway implements AutoCloseable {

  /**
   * Requests served at once. Each event stream holds one thread for as long as it is open, so
   * streams are capped below this and ordinary requests always have threads left.
   */
  private static final int THREADS = 80;
  private static final int MAX_EVENT_STREAMS = 64;

  private final HttpServer http;
  private final ExecutorService threads;
  private final ScheduledExecutorService keepAlive;
  private final ManagedChannel service;

  private HttpGateway(HttpServer http, ExecutorService threads, ScheduledExecutorService keepAlive,
      ManagedChannel service) {
    this.http = http;
    this.threads = threads;
    this.keepAlive = keepAlive;
    this.service = service;
  }

  /**
   * Listens on {@code address}; with a certificate and key, over TLS.
   *
   * @param service a channel to the server's own service (its interceptors included); closed with this
   * @param maxBodyBytes the largest JSON body taken
   */
  public static HttpGateway start(InetSocketAddress address, Path tlsCert, Path tlsKey, ManagedChannel service,
      long maxBodyBytes) throws IOException {
    HttpServer http;
    if (tlsCert != null) {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(PemTls.context(tlsCert, tlsKey)));
      http = https;
    } else {
      http = HttpServer.create(address, 0);
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "execlog-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(threads);
    ScheduledExecutorService keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "execlog-http-keepalive");
      t.setDaemon(true);
      return t;
    });
    http.createContext("/v1/", new JsonTranscoder(service, HttpRoutes.ALL, maxBodyBytes, Duration.ofSeconds(30),
        new ChangeEvents(keepAlive, MAX_EVENT_STREAMS)));
    http.createContext("/", WebView.fromClassPath());
    http.start();
    return new HttpGateway(http, threads, keepAlive, service);
  }

  public int port() {
    return http.getAddress().getPort();
  }

  @Override
  public void close() {
    http.stop(0);
    threads.shutdownNow();
    keepAlive.shutdownNow();
    service.shutdownNow();
  }
}
