package dev.execlog.server.grpc;

import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.ops.ExecutionLog;
import dev.execlog.server.ops.Limits;
import dev.execlog.server.ops.UpdateMask;
import dev.execlog.server.store.HistoryPage;
import dev.execlog.server.store.HistoryQuery;
import dev.execlog.server.store.LogInfo;
import dev.execlog.v1.DeleteExecutionRequest;
import dev.execlog.v1.DeleteExecutionResponse;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.FindOutputProducerRequest;
import dev.execlog.v1.FindOutputProducerResponse;
import dev.execlog.v1.GetExecutionRequest;
import dev.execlog.v1.GetExecutionResponse;
import dev.execlog.v1.GetLatestExecutionRequest;
import dev.execlog.v1.GetLatestExecutionResponse;
import dev.execlog.v1.GetLogInfoRequest;
import dev.execlog.v1.GetLogInfoResponse;
import dev.execlog.v1.ListExecutionsRequest;
import dev.execlog.v1.ListExecutionsResponse;
import dev.execlog.v1.ListTasksRequest;
import dev.execlog.v1.ListTasksResponse;
import dev.execlog.v1.RecordExecutionRequest;
import dev.execlog.v1.RecordExecutionResponse;
import dev.execlog.v1.TrackInputFilesRequest;
import dev.execlog.v1.TrackInputFilesResponse;
import dev.execlog.v1.TrackOutputFilesRequest;
import dev.execlog.v1.TrackOutputFilesResponse;
import dev.execlog.v1.UpdateExecutionRequest;
import dev.execlog.v1.UpdateExecutionResponse;
import dev.execlog.v1.CheckDependenciesRequest;
import dev.execlog.v1.CheckDependenciesResponse;
import dev.execlog.v1.CleanupExecutionsRequest;
import dev.execlog.v1.CleanupExecutionsResponse;
import dev.execlog.v1.ExportLogRequest;
import dev.execlog.v1.ExportLogResponse;
import dev.execlog.v1.ImportLogRequest;
import dev.execlog.v1.ImportLogResponse;
import dev.execlog.v1.ValidateLogRequest;
import dev.execlog.v1.ValidateLogResponse;
import dev.execlog.v1.GetLineageRequest;
import dev.execlog.v1.GetLineageResponse;
import dev.execlog.v1.GetTaskStatisticsRequest;
import dev.execlog.v1.GetTaskStatisticsResponse;
import dev.execlog.v1.WatchExecutionsRequest;
import dev.execlog.v1.WatchExecutionsResponse;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * The gRPC face of the log: each method decodes its request, calls the domain, and encodes the
 * answer. Long operations live in {@link MaintenanceHandlers}; failures become statuses in
 * {@link StatusMapper}.
 */
public final class ExecutionLogGrpcService extends ExecutionLogServiceGrpc.ExecutionLogServiceImplBase {

  private final ExecutionLog log;
  private final Limits limits;
  private final MaintenanceHandlers maintenance;
  private final InsightHandlers insight;
  private final String serverVersion;
  private final String serverId;

  public ExecutionLogGrpcService(ExecutionLog log, Limits limits, MaintenanceHandlers maintenance,
      InsightHandlers insight, String serverVersion, String serverId) {
    this.log = log;
    this.limits = limits;
    this.maintenance = maintenance;
    this.insight = insight;
    this.serverVersion = serverVersion;
    this.serverId = serverId;
  }

  static <T> void unary(StreamObserver<T> out, Supplier<T> body) {
    T response;
    try {
      response = body.get();
    } catch (RuntimeException e) {
      out.onError(StatusMapper.toStatus(e));
      return;
    }
    out.onNext(response);
    out.onCompleted();
  }

  @Override
  public void recordExecution(RecordExecutionRequest request, StreamObserver<RecordExecutionResponse> out) {
    unary(out, () -> {
      if (!request.hasExecution()) {
        throw ExecLogException.invalid("execution", "the run to record is required");
      }
      return ProtoMapper.toProto(log.record(ProtoMapper.fromProto(request.getExecution(), "execution")));
    });
  }

  @Override
  public void getExecution(GetExecutionRequest request, StreamObserver<GetExecutionResponse> out) {
    unary(out, () -> ProtoMapper.gotExecution(log.get(request.getRunId())));
  }

  @Override
  public void listExecutions(ListExecutionsRequest request, StreamObserver<ListExecutionsResponse> out) {
    unary(out, () -> {
      int size = PageTokens.pageSize(request.getPageSize(), limits.maxPageSize(), Limits.DEFAULT_PAGE_SIZE);
      HistoryQuery query = ProtoMapper.fromProto(request);
      HistoryPage page = log.history(query, PageTokens.parseHistory(request.getPageToken(), query), size);
      return ProtoMapper.toProto(page, query);
    });
  }

  @Override
  public void getLatestExecution(GetLatestExecutionRequest request, StreamObserver<GetLatestExecutionResponse> out) {
    unary(out, () -> ProtoMapper.latestExecution(log.latest(request.getTaskId(), request.getIncludeFailed())));
  }

  @Override
  public void findOutputProducer(FindOutputProducerRequest request, StreamObserver<FindOutputProducerResponse> out) {
    unary(out, () -> {
      return request.getIncludeAll() ? ProtoMapper.producers(log.producers(request.getPath()), limits.maxPageSize())
          : ProtoMapper.producer(log.producer(request.getPath()));
    });
  }

  @Override
  public void trackInputFiles(TrackInputFilesRequest request, StreamObserver<TrackInputFilesResponse> out) {
    unary(out, () -> ProtoMapper.trackedInputs(log.trackInputs(request.getTaskId(), request.getPathsList())));
  }

  @Override
  public void trackOutputFiles(TrackOutputFilesRequest request, StreamObserver<TrackOutputFilesResponse> out) {
    unary(out, () -> ProtoMapper.trackedOutputs(log.trackOutputs(request.getTaskId(), request.getPathsList())));
  }

  @Override
  public void updateExecution(UpdateExecutionRequest request, StreamObserver<UpdateExecutionResponse> out) {
    unary(out, () -> {
      if (!request.hasExecution()) {
        throw ExecLogException.invalid("execution", "the run with its new values is required");
      }
      if (!request.hasUpdateMask() || request.getUpdateMask().getPathsCount() == 0) {
        throw ExecLogException.invalid("update_mask", "name the fields to change, such as success or report_path");
      }
      UpdateMask mask = UpdateMask.parse(request.getUpdateMask().getPathsList(), "update_mask");
      Execution values = ProtoMapper.fromProto(request.getExecution(), "execution");
      return ProtoMapper.updatedExecution(log.update(values, mask));
    });
  }

  @Override
  public void deleteExecution(DeleteExecutionRequest request, StreamObserver<DeleteExecutionResponse> out) {
    unary(out, () -> ProtoMapper.deletedExecution(log.delete(request.getRunId())));
  }

  @Override
  public void listTasks(ListTasksRequest request, StreamObserver<ListTasksResponse> out) {
    unary(out, () -> {
      int size = PageTokens.pageSize(request.getPageSize(), limits.maxPageSize(), Limits.DEFAULT_PAGE_SIZE);
      return ProtoMapper.toProto(log.tasks(PageTokens.parseTasks(request.getPageToken()), size + 1), size);
    });
  }

  @Override
  public void checkDependencies(CheckDependenciesRequest request, StreamObserver<CheckDependenciesResponse> out) {
    unary(out, () -> maintenance.checkDependencies(request));
  }

  @Override
  public void getLogInfo(GetLogInfoRequest request, StreamObserver<GetLogInfoResponse> out) {
    unary(out, () -> {
      LogInfo info = log.info();
      Long created = log.store().codec().timestamps().parseMicros(info.createdText());
      return ProtoMapper.toProto(info, log.validator().paths().root().toString(), created, serverVersion, serverId);
    });
  }

  @Override
  public void cleanupExecutions(CleanupExecutionsRequest request, StreamObserver<CleanupExecutionsResponse> out) {
    maintenance.cleanup(request, out);
  }

  @Override
  public void validateLog(ValidateLogRequest request, StreamObserver<ValidateLogResponse> out) {
    maintenance.validate(out);
  }

  @Override
  public void exportLog(ExportLogRequest request, StreamObserver<ExportLogResponse> out) {
    maintenance.export(request, out);
  }

  @Override
  public StreamObserver<ImportLogRequest> importLog(StreamObserver<ImportLogResponse> out) {
    return maintenance.importLog(out);
  }

  @Override
  public void getLineage(GetLineageRequest request, StreamObserver<GetLineageResponse> out) {
    unary(out, () -> insight.lineage(request));
  }

  @Override
  public void getTaskStatistics(GetTaskStatisticsRequest request, StreamObserver<GetTaskStatisticsResponse> out) {
    unary(out, () -> insight.statistics(request));
  }

  @Override
  public void watchExecutions(WatchExecutionsRequest request, StreamObserver<WatchExecutionsResponse> out) {
    try {
      insight.watch(request, out);
    } catch (ExecLogException e) {
      out.onError(StatusMapper.toStatus(e)); // a bad resume point: nothing was subscribed
    }
  }
}
