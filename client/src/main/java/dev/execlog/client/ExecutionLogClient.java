package dev.execlog.client;

import dev.execlog.client.model.CleanupResult;
import dev.execlog.client.model.CleanupRule;
import dev.execlog.client.model.DependencyOptions;
import dev.execlog.client.model.DependencyReport;
import dev.execlog.client.model.ExportResult;
import dev.execlog.client.model.ExportSelection;
import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.ImportResult;
import dev.execlog.client.model.ImportSettings;
import dev.execlog.client.model.LineageGraph;
import dev.execlog.client.model.LineageQuery;
import dev.execlog.client.model.LogInfo;
import dev.execlog.client.model.NewRun;
import dev.execlog.client.model.Page;
import dev.execlog.client.model.Run;
import dev.execlog.client.model.RunUpdate;
import dev.execlog.client.model.StatisticsQuery;
import dev.execlog.client.model.StatisticsReport;
import dev.execlog.client.model.TaskSummary;
import dev.execlog.client.model.ValidationReport;
import dev.execlog.client.model.WatchFilter;
import dev.execlog.v1.CheckDependenciesResponse;
import dev.execlog.v1.CleanupExecutionsRequest;
import dev.execlog.v1.CleanupExecutionsResponse;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.ExportLogRequest;
import dev.execlog.v1.ExportLogResponse;
import dev.execlog.v1.FindOutputProducerResponse;
import dev.execlog.v1.GetLogInfoRequest;
import dev.execlog.v1.ListExecutionsResponse;
import dev.execlog.v1.ListTasksResponse;
import dev.execlog.v1.RecordExecutionResponse;
import dev.execlog.v1.ValidateLogRequest;
import dev.execlog.v1.ValidateLogResponse;
import dev.execlog.v1.WatchExecutionsRequest;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Java client of the execlog service. Every operation is a method with Java types; every call
 * has a deadline; listings follow page tokens; long operations report progress to a listener; and
 * every failure is one {@link ExecLogClientException} carrying the gRPC code, the server's reason
 * (an {@code execlog.v1.ErrorReason}), the field at fault and the reason's metadata.
 *
 * <pre>{@code
 * // EXECLOG_SERVER, EXECLOG_TLS_CA, EXECLOG_TOKEN... as the command line reads them
 * try (ExecutionLogClient log = ExecutionLogClient.connect(ConnectionOptions.fromEnvironment())) {
 *   Run run = log.record(NewRun.builder("t_1I", "ingestion").seconds(45.2)
 *       .input("customers", "DATA/raw/customers.csv").output("DATA/processed/customers.csv").build());
 * }
 * }</pre>
 */
public final class ExecutionLogClient implements AutoCloseable {

  /** The server address used when none is given: {@code EXECLOG_SERVER}, else the local default. */
  public static final String DEFAULT_TARGET = ConnectionOptions.DEFAULT_TARGET;

  /** The deadline of each ordinary call unless one is given. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** The deadline of cleanup, validate, export and import unless one is given. */
  public static final Duration DEFAULT_LONG_TIMEOUT = Duration.ofHours(1);

  private final ManagedChannel ownedChannel;
  private final ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub blocking;
  private final ExecutionLogServiceGrpc.ExecutionLogServiceStub async;
  private final Duration timeout;
  private final Duration longTimeout;
  private final String hostname;

  /**
   * Uses a channel the caller owns.
   *
   * @param timeout deadline of each short call
   * @param longTimeout deadline of cleanup, validate, export and import
   */
  public ExecutionLogClient(Channel channel, Duration timeout, Duration longTimeout) {
    this(channel, null, timeout, longTimeout, null);
  }

  private ExecutionLogClient(Channel channel, ManagedChannel owned, Duration timeout, Duration longTimeout,
      String token) {
    this.ownedChannel = owned;
    ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub blockingStub = ExecutionLogServiceGrpc.newBlockingStub(channel);
    ExecutionLogServiceGrpc.ExecutionLogServiceStub asyncStub = ExecutionLogServiceGrpc.newStub(channel);
    if (token != null) {
      blockingStub = blockingStub.withCallCredentials(new BearerToken(token));
      asyncStub = asyncStub.withCallCredentials(new BearerToken(token));
    }
    this.blocking = blockingStub;
    this.async = asyncStub;
    this.timeout = timeout;
    this.longTimeout = longTimeout;
    this.hostname = localHostname();
  }

  /**
   * Opens a plaintext channel to {@code target} (host:port, or {@code host1:port,host2:port} for
   * several servers) that {@link #close()} shuts down.
   */
  public static ExecutionLogClient connect(String target) {
    return connect(target, DEFAULT_TIMEOUT);
  }

  public static ExecutionLogClient connect(String target, Duration timeout) {
    return connect(ConnectionOptions.plaintext(target), timeout, DEFAULT_LONG_TIMEOUT);
  }

  /**
   * Opens a channel as the options say (such as {@link ConnectionOptions#fromEnvironment()}), with
   * the default deadlines: {@link #DEFAULT_TIMEOUT}, and {@link #DEFAULT_LONG_TIMEOUT} for long
   * operations; {@link #close()} shuts it down.
   */
  public static ExecutionLogClient connect(ConnectionOptions options) {
    return connect(options, DEFAULT_TIMEOUT, DEFAULT_LONG_TIMEOUT);
  }

  /**
   * Opens a channel with TLS, a client certificate and a bearer token as the options say; {@link
   * #close()} shuts it down. {@code ConnectionOptions.fromEnvironment()} reads the CLI's variables.
   */
  public static ExecutionLogClient connect(ConnectionOptions options, Duration timeout, Duration longTimeout) {
    ManagedChannel channel = options.openChannel();
    return new ExecutionLogClient(channel, channel, timeout, longTimeout, options.token());
  }

  /** The address from {@code EXECLOG_SERVER}, or {@link #DEFAULT_TARGET}. */
  public static String defaultTarget() {
    String env = System.getenv("EXECLOG_SERVER");
    return env == null || env.isBlank() ? DEFAULT_TARGET : env;
  }

  private ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub stub() {
    return blocking.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub longStub() {
    return blocking.withDeadlineAfter(longTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static <T> T call(Supplier<T> body) {
    try {
      return body.get();
    } catch (StatusRuntimeException e) {
      throw ExecLogClientException.from(e);
    }
  }

  private static <T> Optional<T> optional(Supplier<T> body) {
    try {
      return Optional.of(call(body));
    } catch (ExecLogClientException e) {
      if (e.code() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw e;
    }
  }

  // ------------------------------------------------------------------ runs

  /** Records a run; retrying the same {@link NewRun} returns the stored run instead of adding one. */
  public Run record(NewRun run) {
    return recordWithOutcome(run).execution();
  }

  /** Like {@link #record}, also telling whether the run had already been recorded. */
  public RecordExecutionOutcome recordWithOutcome(NewRun run) {
    RecordExecutionResponse r = call(() -> stub().recordExecution(ClientMapper.recordRequest(run, hostname)));
    return new RecordExecutionOutcome(ClientMapper.run(r.getExecution()), r.getAlreadyRecorded());
  }

  /** What a record call did. */
  public record RecordExecutionOutcome(Run execution, boolean alreadyRecorded) {}

  public Run get(String runId) {
    return ClientMapper.run(call(() -> stub().getExecution(ClientMapper.getRequest(runId))).getExecution());
  }

  /** One page of history, newest first. */
  public Page<Run> listExecutions(HistoryQuery query, int pageSize, String pageToken) {
    ListExecutionsResponse r = call(() -> stub().listExecutions(ClientMapper.listRequest(query, pageSize, pageToken)));
    return new Page<>(ClientMapper.runs(r.getExecutionsList()), r.getNextPageToken());
  }

  /** Up to {@code limit} runs, newest first, following page tokens (spec: get_task_execution_history). */
  public List<Run> history(HistoryQuery query, int limit) {
    return collect(token -> listExecutions(query, Math.min(limit, 1000), token), limit);
  }

  /** Every run matching the query, newest first, fetched a page at a time as the iteration goes. */
  public Iterable<Run> historyPages(HistoryQuery query, int pageSize) {
    return () -> new PagingIterator<>(token -> listExecutions(query, pageSize, token));
  }

  /** The newest run of a task (successful only unless {@code includeFailed}); empty when none. */
  public Optional<Run> latest(String taskId, boolean includeFailed) {
    return optional(() -> ClientMapper.run(stub().getLatestExecution(ClientMapper.latestRequest(taskId, includeFailed))
        .getExecution()));
  }

  /** The newest run that wrote the file; empty when none did (spec: find_task_by_output). */
  public Optional<Run> producer(String path) {
    return optional(() -> ClientMapper.run(stub().findOutputProducer(ClientMapper.producerRequest(path, false))
        .getExecution()));
  }

  /** Every run that wrote the file, newest first. */
  public List<Run> producers(String path) {
    return optional(() -> stub().findOutputProducer(ClientMapper.producerRequest(path, true)))
        .map(FindOutputProducerResponse::getProducersList).map(ClientMapper::runs).orElse(List.of());
  }

  public Run trackInputs(String taskId, List<String> paths) {
    return ClientMapper.run(call(() -> stub().trackInputFiles(ClientMapper.trackInputsRequest(taskId, paths)))
        .getExecution());
  }

  public Run trackOutputs(String taskId, List<String> paths) {
    return ClientMapper.run(call(() -> stub().trackOutputFiles(ClientMapper.trackOutputsRequest(taskId, paths)))
        .getExecution());
  }

  public Run update(String runId, RunUpdate update) {
    return ClientMapper.run(call(() -> stub().updateExecution(ClientMapper.updateRequest(runId, update))).getExecution());
  }

  /** Removes a run and returns it. */
  public Run delete(String runId) {
    return ClientMapper.run(call(() -> stub().deleteExecution(ClientMapper.deleteRequest(runId))).getExecution());
  }

  public Page<TaskSummary> listTasks(int pageSize, String pageToken) {
    ListTasksResponse r = call(() -> stub().listTasks(ClientMapper.tasksRequest(pageSize, pageToken)));
    return new Page<>(r.getTasksList().stream().map(ClientMapper::summary).toList(), r.getNextPageToken());
  }

  /** Every task summary, ordered by task id. */
  public List<TaskSummary> tasks() {
    return collect(token -> listTasks(1000, token), Integer.MAX_VALUE);
  }

  public DependencyReport checkDependencies(List<String> taskIds) {
    return checkDependencies(taskIds, null, false);
  }

  /**
   * @param maxAge a successful run older than this does not count (STALE); null for no limit
   * @param requireLatestSuccess a failed newest run fails the dependency even after an earlier success
   */
  public DependencyReport checkDependencies(List<String> taskIds, Duration maxAge, boolean requireLatestSuccess) {
    return checkDependencies(taskIds, DependencyOptions.defaults().maxAge(maxAge)
        .requireLatestSuccess(requireLatestSuccess));
  }

  /**
   * Checks dependencies under all the conditions the server knows: age, latest success, "newer than
   * my own last run" and outputs present on disk (see {@link DependencyOptions}).
   */
  public DependencyReport checkDependencies(List<String> taskIds, DependencyOptions options) {
    CheckDependenciesResponse r = call(() -> stub().checkDependencies(ClientMapper.dependenciesRequest(taskIds, options)));
    return new DependencyReport(r.getSatisfied(),
        r.getDependenciesList().stream().map(ClientMapper::dependency).toList());
  }

  // ------------------------------------------------------------------ data flow and insight

  /** The lineage graph around a task, run or file (see {@link LineageQuery}). */
  public LineageGraph lineage(LineageQuery query) {
    return ClientMapper.lineage(call(() -> stub().getLineage(ClientMapper.lineageRequest(query))));
  }

  /** Run counts, success rates and duration figures, overall and per time bucket. */
  public StatisticsReport statistics(StatisticsQuery query) {
    return ClientMapper.statistics(call(() -> stub().getTaskStatistics(ClientMapper.statisticsRequest(query))));
  }

  /**
   * Starts watching the log's changes; returns once the server has confirmed the watch, so every
   * change committed after this returns is delivered. The watch has no deadline: close it.
   */
  public ExecutionWatch watch(WatchFilter filter) {
    WatchExecutionsRequest request = ClientMapper.watchRequest(filter);
    Context.CancellableContext context = Context.current().withCancellation();
    Context previous = context.attach();
    try {
      return new ExecutionWatch(context, blocking.watchExecutions(request));
    } finally {
      context.detach(previous);
    }
  }

  public LogInfo info() {
    return ClientMapper.info(call(() -> stub().getLogInfo(GetLogInfoRequest.getDefaultInstance())));
  }

  // ------------------------------------------------------------------ long operations

  /**
   * Removes old runs by the reference library's rule (spec: cleanup_old_executions): a run goes only
   * when it is both older than {@code maxAgeDays} and beyond its task's newest {@code maxRunsPerTask}.
   *
   * @param maxAgeDays null for the server's default (30)
   * @param maxRunsPerTask null for the server's default (10)
   */
  public CleanupResult cleanup(Integer maxAgeDays, Integer maxRunsPerTask, boolean dryRun, ProgressListener progress) {
    return cleanup(maxAgeDays, maxRunsPerTask, CleanupRule.OLD_AND_BEYOND_COUNT, dryRun, progress);
  }

  /**
   * Removes old runs by the given rule; a dry run picks exactly the runs a real one would remove.
   *
   * @param maxAgeDays null for the server's default (30)
   * @param maxRunsPerTask null for the server's default (10)
   */
  public CleanupResult cleanup(Integer maxAgeDays, Integer maxRunsPerTask, CleanupRule rule, boolean dryRun,
      ProgressListener progress) {
    CleanupExecutionsRequest request = ClientMapper.cleanupRequest(maxAgeDays, maxRunsPerTask, rule, dryRun);
    return call(() -> {
      Iterator<CleanupExecutionsResponse> it = longStub().cleanupExecutions(request);
      List<String> removed = new ArrayList<>();
      while (it.hasNext()) {
        CleanupExecutionsResponse m = it.next();
        if (m.hasProgress()) {
          progress.onProgress(ClientMapper.progress(m.getProgress()));
        } else if (m.hasRemovedRuns()) {
          removed.addAll(m.getRemovedRuns().getRunIdsList());
          progress.onRemovedRuns(m.getRemovedRuns().getRunIdsList());
        } else if (m.hasResult()) {
          return new CleanupResult(m.getResult().getRemovedCount(), List.copyOf(removed), m.getResult().getDryRun());
        }
      }
      throw noResult("cleanup");
    });
  }

  public ValidationReport validate(ProgressListener progress) {
    return call(() -> {
      Iterator<ValidateLogResponse> it = longStub().validateLog(ValidateLogRequest.getDefaultInstance());
      while (it.hasNext()) {
        ValidateLogResponse m = it.next();
        if (m.hasProgress()) {
          progress.onProgress(ClientMapper.progress(m.getProgress()));
        } else if (m.hasResult()) {
          return ClientMapper.validation(m.getResult());
        }
      }
      throw noResult("validate");
    });
  }

  /** The export formats. */
  public enum Format {
    /** The log file's own JSON format, importable. */
    JSON,
    /**
     * The reference library's CSV: {@code task_id,task_type,task_run_id,timestamp,success,
     * execution_time,report_path,input_files_count,output_files_count,hostname}, {@code True}/{@code
     * False}, numbers as stored.
     */
    CSV,
    /** CSV with the files themselves: inputs as {@code name=path}, outputs as paths, each list joined with {@code ;}. */
    CSV_WITH_FILES,
    /**
     * OpenLineage run events, one JSON RunEvent per line: a START and a COMPLETE or FAIL per run,
     * the task as the job, the files as datasets (see the contract's {@code EXPORT_FORMAT_OPENLINEAGE}).
     */
    OPENLINEAGE
  }

  /** Streams the log to {@code out}; {@code taskId} null exports every task. */
  public ExportResult export(Format format, String taskId, OutputStream out, ProgressListener progress) {
    return exportSelected(format, ExportSelection.task(taskId), out, progress);
  }

  /** Streams the selected runs to {@code out}; for OpenLineage, under the selection's namespace. */
  public ExportResult exportSelected(Format format, ExportSelection selection, OutputStream out,
      ProgressListener progress) {
    ExportLogRequest request = ClientMapper.exportRequest(format, selection);
    return call(() -> {
      Iterator<ExportLogResponse> it = longStub().exportLog(request);
      while (it.hasNext()) {
        ExportLogResponse m = it.next();
        if (m.hasProgress()) {
          progress.onProgress(ClientMapper.progress(m.getProgress()));
        } else if (m.hasChunk()) {
          try {
            m.getChunk().getData().writeTo(out);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        } else if (m.hasResult()) {
          return new ExportResult(m.getResult().getExecutionCount(), m.getResult().getSizeBytes(),
              m.getResult().getSha256());
        }
      }
      throw noResult("export");
    });
  }

  /** Uploads a log file in the spec's JSON format and merges it in or replaces the log with it. */
  public ImportResult importLog(InputStream file, boolean replace, boolean dryRun, ProgressListener progress) {
    ImportSettings settings = replace ? ImportSettings.replacing() : ImportSettings.merging();
    return importLog(file, settings.dryRun(dryRun), progress);
  }

  /**
   * Uploads a log file in the spec's JSON format as the settings say: merge or replace, dry run, and
   * the other project's root to rebase absolute paths from.
   */
  public ImportResult importLog(InputStream file, ImportSettings settings, ProgressListener progress) {
    return new ImportUpload(async.withDeadlineAfter(longTimeout.toMillis(), TimeUnit.MILLISECONDS))
        .run(file, ClientMapper.importOptions(settings), progress);
  }

  private static ExecLogClientException noResult(String operation) {
    return new ExecLogClientException(Status.Code.INTERNAL, "", "",
        "the server ended the " + operation + " stream without a result", null);
  }

  private static <T> List<T> collect(Function<String, Page<T>> fetch, int limit) {
    List<T> all = new ArrayList<>();
    String token = "";
    do {
      Page<T> page = fetch.apply(token);
      for (T item : page.items()) {
        if (all.size() == limit) {
          return all;
        }
        all.add(item);
      }
      token = page.nextPageToken();
    } while (!token.isEmpty() && all.size() < limit);
    return all;
  }

  private static String localHostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    if (ownedChannel != null) {
      ownedChannel.shutdown();
      try {
        if (!ownedChannel.awaitTermination(5, TimeUnit.SECONDS)) {
          ownedChannel.shutdownNow();
        }
      } catch (InterruptedException e) {
        ownedChannel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
