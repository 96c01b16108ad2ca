package dev.execlog.server.observe;

import dev.execlog.server.ops.ChangeFeed;
import dev.execlog.server.store.ExecutionStore;
import dev.execlog.server.store.LogInfo;
import dev.execlog.server.store.LogStore;
import dev.execlog.server.store.StoreMetrics;
import io.grpc.ServerInterceptor;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Consumer;

/**
 * The server's metrics, in one registry: calls (through {@link #interceptor()}), the writer's group
 * commits and syncs, folds, the log's size, watchers, and optionally the JVM's memory and GC.
 * Names follow the Prometheus conventions, and the gRPC ones those of go-grpc-prometheus so that
 * existing dashboards work.
 */
public final class ServerMetrics implements StoreMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Histogram batchSize = Histogram.builder()
      .name("execlog_commit_batch_size").help("Writes made durable together by one journal sync (group commit)")
      .classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
      .register(registry);
  private final Histogram syncSeconds = Histogram.builder()
      .name("execlog_journal_sync_seconds").help("Time of one journal fdatasync")
      .classicOnly().classicUpperBounds(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1)
      .register(registry);
  private final Histogram foldSeconds = Histogram.builder()
      .name("execlog_fold_seconds").help("Time to write the journal's changes into the JSON log file")
      .classicOnly().classicUpperBounds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
      .register(registry);
  private final RpcMetrics rpcs = new RpcMetrics(registry);

  public ServerMetrics(String version, String commit) {
    Info.builder().name("execlog_build_info").help("The server's version and source commit")
        .labelNames("version", "commit").register(registry).addLabelValues(version, commit);
  }

  /** Names this server and its store, so that the metrics of several servers on one store tell them apart. */
  public void identify(String serverId, String store) {
    Info.builder().name("execlog_server_info").help("Which server this is and where its log is kept")
        .labelNames("server_id", "store").register(registry).addLabelValues(serverId, store);
  }

  /** Adds the JVM's memory, GC, thread and class-loading metrics (once per process). */
  public ServerMetrics withJvmMetrics() {
    JvmMetrics.builder().register(registry);
    return this;
  }

  /** Reads the log's size and watchers from {@code store} and {@code feed} at each scrape. */
  public void observe(ExecutionStore store, ChangeFeed feed) {
    ScrapedInfo info = new ScrapedInfo(store);
    GaugeWithCallback.builder().name("execlog_runs").help("Runs in the log")
        .callback(c -> info.with(i -> c.call(i.executionCount()))).register(registry);
    GaugeWithCallback.builder().name("execlog_tasks").help("Tasks with at least one run in the log")
        .callback(c -> info.with(i -> c.call(i.taskCount()))).register(registry);
    GaugeWithCallback.builder().name("execlog_log_file_bytes")
        .help("Size of the JSON log file, or of the PostgreSQL database")
        .callback(c -> info.with(i -> c.call(i.sizeBytes()))).register(registry);
    GaugeWithCallback.builder().name("execlog_watch_streams").help("Open WatchExecutions streams")
        .callback(c -> c.call(feed.watcherCount())).register(registry);
    CounterWithCallback.builder().name("execlog_watch_lagged").help("Watchers dropped for falling behind (WATCH_LAGGED)")
        .callback(c -> c.call(feed.laggedCount())).register(registry);
  }

  /** The JSON store's own gauges: its journal and how far the file lags behind it. */
  public void observeJournal(LogStore store) {
    GaugeWithCallback.builder().name("execlog_journal_bytes")
        .help("Bytes in the journal: changes a restart would replay into the log file")
        .callback(c -> c.call(store.journalBytes())).register(registry);
    GaugeWithCallback.builder().name("execlog_fold_lag_seconds")
        .help("How long the oldest change not yet in the JSON log file has waited (0: the file shows every change)")
        .callback(c -> c.call(store.foldLagSeconds())).register(registry);
  }

  /** Counts every call by method and status code, and times it. */
  public ServerInterceptor interceptor() {
    return rpcs;
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public void committed(int operations, long syncNanos) {
    batchSize.observe(operations);
    syncSeconds.observe(syncNanos / 1e9);
  }

  @Override
  public void folded(long nanos, long bytes) {
    foldSeconds.observe(nanos / 1e9);
  }

  /**
   * The store's facts for a gauge. When the store cannot answer (its database is down, which the
   * PostgreSQL store knows at once from its health check), the gauge is left out of that scrape
   * rather than failing it, so the other metrics still tell what is wrong.
   */
  private static final class ScrapedInfo {
    private final ExecutionStore store;

    ScrapedInfo(ExecutionStore store) {
      this.store = store;
    }

    void with(Consumer<LogInfo> gauge) {
      LogInfo info;
      try {
        info = store.info();
      } catch (RuntimeException e) {
        return;
      }
      gauge.accept(info);
    }
  }
}
