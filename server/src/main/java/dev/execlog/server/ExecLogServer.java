package dev.execlog.server;

import dev.execlog.BuildInfo;
import dev.execlog.server.grpc.ExecutionLogGrpcService;
import dev.execlog.server.grpc.InsightHandlers;
import dev.execlog.server.grpc.MaintenanceHandlers;
import dev.execlog.server.grpc.StrictParsing;
import dev.execlog.server.grpc.UploadScratch;
import dev.execlog.server.json.Timestamps;
import dev.execlog.server.observe.ServerMetrics;
import dev.execlog.server.ops.ChangeFeed;
import dev.execlog.server.ops.CleanupOperation;
import dev.execlog.server.ops.DependencyChecker;
import dev.execlog.server.ops.ExecutionLog;
import dev.execlog.server.ops.LineageWalker;
import dev.execlog.server.ops.LogExporter;
import dev.execlog.server.ops.LogImporter;
import dev.execlog.server.ops.LogValidator;
import dev.execlog.server.ops.RunValidator;
import dev.execlog.server.ops.TaskStatistics;
import dev.execlog.server.paths.PathPolicy;
import dev.execlog.server.postgres.PostgresStore;
import dev.execlog.server.security.AuditInterceptor;
import dev.execlog.server.security.AuthInterceptor;
import dev.execlog.server.security.OpenAccessInterceptor;
import dev.execlog.server.store.ExecutionStore;
import dev.execlog.server.store.LogStore;
import dev.execlog.server.store.StoreConfig;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Wires the log, its operations and the gRPC services onto any {@link ServerBuilder}, so tests run
 * the same wiring over the in-process transport. Closing it shuts the server down gracefully,
 * folds the journal into the log file and releases the file lock.
 */
public final class ExecLogServer implements AutoCloseable {

  /** The build's version, shared by every execlog artifact (see {@link BuildInfo}). */
  public static final String VERSION = BuildInfo.VERSION;

  private final Server server;
  /** The same service in-process, for the HTTP/JSON gateway: same interceptors, same answers. */
  private final ServerServiceDefinition service;
  private final String localName = "execlog-" + UUID.randomUUID();
  /** Started by the first {@link #inProcessChannel()}; guarded by {@code this}. */
  private Server local;
  private final ExecutionStore store;
  private final HealthStatusManager health;
  private final ChangeFeed feed;

  private final ExecutorService exports;
  private final ServerMetrics metrics;
  private volatile boolean closing;

  private ExecLogServer(Server server, ServerServiceDefinition service, ExecutionStore store, HealthStatusManager health, ChangeFeed feed,
      ExecutorService exports, ServerMetrics metrics) {
    this.server = server;
    this.service = service;
    this.store = store;
    this.health = health;
    this.feed = feed;
    this.exports = exports;
    this.metrics = metrics;
  }

  public static ExecLogServer start(ServerConfig config, ServerBuilder<?> builder) throws IOException {
    return start(config, builder, ChangeFeed.DEFAULT_QUEUE_CAPACITY);
  }

  /** @param watchQueueCapacity changes a watcher may have pending before it is dropped as lagging */
  public static ExecLogServer start(ServerConfig config, ServerBuilder<?> builder, int watchQueueCapacity)
      throws IOException {
    PathPolicy paths = new PathPolicy(config.projectRoot(), config.allowedRoots());
    ServerMetrics metrics = new ServerMetrics(VERSION, BuildInfo.COMMIT);
    StoreConfig storeConfig = new StoreConfig(config.logFile(), config.foldInterval(), Timestamps.systemDefault(),
        StoreConfig.localHostname()).withMetrics(metrics);
    LogStore jsonStore = config.postgres() == null ? LogStore.open(storeConfig, paths::indexKey) : null;
    ExecutionStore store = jsonStore != null ? jsonStore : PostgresStore.open(config.postgres(), config.projectRoot(),
        paths::indexKey, storeConfig.timestamps(), config.storeConnections());
    ExecutorService exports = Executors.newCachedThreadPool(daemonThreads("execlog-export"));
    try {
      RunValidator validator = new RunValidator(paths, config.limits());
      ExecutionLog log = new ExecutionLog(store, validator, storeConfig.defaultHostname());
      MaintenanceHandlers maintenance = new MaintenanceHandlers(
          new DependencyChecker(store, validator),
          new CleanupOperation(store),
          new LogValidator(store, paths),
          new LogExporter(store),
          new LogImporter(store, validator),
          UploadScratch.claim(config.logFile().toAbsolutePath().getParent()),
          config.limits().maxImportBytes(),
          exports);
      ChangeFeed feed = new ChangeFeed(store, watchQueueCapacity);
      metrics.observe(store, feed);
      metrics.identify(config.serverId(), store.info().store());
      if (jsonStore != null) {
        metrics.observeJournal(jsonStore);
      }
      InsightHandlers insight = new InsightHandlers(new LineageWalker(store, validator),
          new TaskStatistics(store, validator), feed);
      HealthStatusManager health = new HealthStatusManager();
      ServerServiceDefinition service = ServerInterceptors.intercept(
          StrictParsing.wrap(new ExecutionLogGrpcService(log, config.limits(), maintenance, insight, VERSION,
              config.serverId()).bindService()),
          new AuditInterceptor(),
          config.auth() != null ? new AuthInterceptor(config.auth()) : new OpenAccessInterceptor());
      Server server = builder
          .intercept(metrics.interceptor())
          .addService(service)
          .addService(health.getHealthService())
          .addService(ProtoReflectionServiceV1.newInstance())
          .build()
          .start();
      ExecLogServer started = new ExecLogServer(server, service, store, health, feed, exports, metrics);
      store.addWritableListener(started::reportReadiness);
      started.reportReadiness();
      return started;
    } catch (IOException | RuntimeException e) {
      exports.shutdownNow();
      store.close();
      throw e;
    }
  }

  private static ThreadFactory daemonThreads(String name) {
    return runnable -> {
      Thread t = new Thread(runnable, name);
      t.setDaemon(true);
      return t;
    };
  }

  // Synchronized and re-reading the store, so a late call can never report a stale state last.
  private synchronized void reportReadiness() {
    ServingStatus status = store.writable() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    health.setStatus("", status);
    health.setStatus(ExecutionLogServiceGrpc.SERVICE_NAME, status);
  }

  public int port() {
    return server.getPort();
  }

  public ExecutionStore store() {
    return store;
  }

  /**
   * A new channel to this server's service in-process, through the same interceptors as the
   * network's calls. The in-process server behind it starts with the first channel, as only the
   * HTTP/JSON port needs one.
   */
  public synchronized ManagedChannel inProcessChannel() {
    if (local == null) {
      try {
        local = InProcessServerBuilder.forName(localName).directExecutor()
            .intercept(metrics.interceptor())
            .addService(service)
            .build()
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start the in-process server", e);
      }
    }
    return InProcessChannelBuilder.forName(localName).directExecutor().build();
  }

  /** The server's metrics registry and the interceptor that counts its calls. */
  public ServerMetrics metrics() {
    return metrics;
  }

  /** Ready for traffic: the log is loaded, its writer can write, and the server is not stopping. */
  public boolean ready() {
    return !closing && store.writable();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    closing = true;
    health.enterTerminalState();
    feed.close(); // ends the watch streams, which would otherwise hold up a graceful shutdown
    server.shutdown();
    Server inProcess;
    synchronized (this) {
      inProcess = local;
    }
    if (inProcess != null) {
      inProcess.shutdown();
    }
    try {
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    if (inProcess != null) {
      inProcess.shutdownNow();
    }
    exports.shutdownNow();
    store.close();
  }
}
