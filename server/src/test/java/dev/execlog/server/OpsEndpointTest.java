package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.BuildInfo;
import dev.execlog.server.observe.OpsEndpoint;
import dev.execlog.server.store.StoreConfig;
import dev.execlog.v1.GetExecutionRequest;
import dev.execlog.v1.WatchExecutionsRequest;
import dev.execlog.v1.WatchExecutionsResponse;
import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator's HTTP port: metrics that move with the workload, and probes that follow the writer. */
class OpsEndpointTest {

  @BeforeAll
  static void checkOften() {
    System.setProperty(StoreConfig.CHECK_INTERVAL_PROPERTY, "50");
  }

  @AfterAll
  static void checkAsUsual() {
    System.clearProperty(StoreConfig.CHECK_INTERVAL_PROPERTY);
  }

  @RegisterExtension
  final LogServerExtension server = LogServerExtension.overLoopback();

  private final HttpClient http = HttpClient.newHttpClient();
  private OpsEndpoint ops;

  @BeforeEach
  void startEndpoint() throws IOException {
    ops = OpsEndpoint.start(new InetSocketAddress("127.0.0.1", 0), server.server().metrics().registry(),
        server.server()::ready);
  }

  @AfterEach
  void stopEndpoint() {
    ops.close();
  }

  @JsonFileOnly
  @Test
  void metrics_countCallsCommitsFoldsAndWatchers() throws Exception {
    String before = get("/metrics").body();
    assertEquals(0.0, value(before, "execlog_runs"));

    for (int i = 0; i < 5; i++) {
      server.stub().recordExecution(record(run("t_metrics")));
    }
    assertThrows(StatusRuntimeException.class,
        () -> server.stub().getExecution(GetExecutionRequest.newBuilder().setRunId("no-such-run").build()));
    Context.CancellableContext watching = Context.current().withCancellation();
    Iterator<WatchExecutionsResponse> watch = watching.call(() -> server.stub()
        .watchExecutions(WatchExecutionsRequest.getDefaultInstance()));
    watch.next(); // started: the stream is open on the server

    String after = awaitMetrics(m -> value(m, "execlog_fold_seconds_count") >= 1
        && value(m, "execlog_fold_lag_seconds") == 0.0);
    assertEquals(5.0, value(after, "grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"RecordExecution\","
        + "grpc_service=\"execlog.v1.ExecutionLogService\",grpc_type=\"unary\"}"));
    assertEquals(1.0, value(after, "grpc_server_handled_total{grpc_code=\"NOT_FOUND\",grpc_method=\"GetExecution\","
        + "grpc_service=\"execlog.v1.ExecutionLogService\",grpc_type=\"unary\"}"));
    assertEquals(5.0, value(after, "grpc_server_handling_seconds_count{grpc_method=\"RecordExecution\","
        + "grpc_service=\"execlog.v1.ExecutionLogService\",grpc_type=\"unary\"}"));
    assertEquals(5.0, value(after, "execlog_runs"));
    assertEquals(1.0, value(after, "execlog_tasks"));
    assertEquals(5.0, value(after, "execlog_commit_batch_size_sum"), "each record is one durable write");
    double syncs = value(after, "execlog_journal_sync_seconds_count");
    assertTrue(syncs >= 1 && syncs <= 5, "one sync per group commit: " + syncs);
    assertEquals(1.0, value(after, "execlog_watch_streams"));
    assertTrue(value(after, "execlog_log_file_bytes") > 0);
    assertTrue(after.contains("execlog_build_info{commit=\"" + BuildInfo.COMMIT + "\",version=\"" + ExecLogServer.VERSION
        + "\"} 1"), after);
    watching.cancel(null);
  }

  @JsonFileOnly
  @Test
  void probes_healthAlwaysReadyOnlyWhileTheWriterCanWrite() throws Exception {
    assertEquals(200, get("/healthz").statusCode());
    assertEquals(200, get("/readyz").statusCode());

    Path dir = server.logFile().getParent();
    Directories.deleteTree(dir);
    Files.writeString(dir, "in the way");
    HttpResponse<String> notReady = await("/readyz", 503);
    assertTrue(notReady.body().startsWith("not ready"), notReady.body());
    assertEquals(200, get("/healthz").statusCode(), "the process still answers");

    Files.delete(dir);
    await("/readyz", 200);
  }

  @Test
  void unknownPath_isNotFound() throws Exception {
    assertEquals(404, get("/anything").statusCode());
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> await(String path, int status) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    HttpResponse<String> last = get(path);
    while (last.statusCode() != status && System.nanoTime() < deadline) {
      Thread.sleep(20);
      last = get(path);
    }
    assertEquals(status, last.statusCode(), last.body());
    return last;
  }

  private String awaitMetrics(Predicate<String> wanted) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    String text = get("/metrics").body();
    while (!wanted.test(text) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      text = get("/metrics").body();
    }
    assertTrue(wanted.test(text), text);
    return text;
  }

  /** The value of the sample written exactly as {@code sample} (name and labels), or -1 when absent. */
  private static double value(String metrics, String sample) {
    Matcher m = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

}
