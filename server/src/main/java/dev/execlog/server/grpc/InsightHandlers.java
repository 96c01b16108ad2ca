package dev.execlog.server.grpc;

import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.ops.ChangeFeed;
import dev.execlog.server.ops.LineageWalker;
import dev.execlog.server.ops.TaskStatistics;
import dev.execlog.server.store.LogChange;
import dev.execlog.v1.GetLineageRequest;
import dev.execlog.v1.GetLineageResponse;
import dev.execlog.v1.GetTaskStatisticsRequest;
import dev.execlog.v1.GetTaskStatisticsResponse;
import dev.execlog.v1.WatchExecutionsRequest;
import dev.execlog.v1.WatchExecutionsResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** The data-flow and insight calls: lineage, statistics, and the change stream. */
public final class InsightHandlers {

  private final LineageWalker lineage;
  private final TaskStatistics statistics;
  private final ChangeFeed feed;

  public InsightHandlers(LineageWalker lineage, TaskStatistics statistics, ChangeFeed feed) {
    this.lineage = lineage;
    this.statistics = statistics;
    this.feed = feed;
  }

  GetLineageResponse lineage(GetLineageRequest request) {
    return InsightMapper.toProto(lineage.walk(InsightMapper.fromProto(request)));
  }

  GetTaskStatisticsResponse statistics(GetTaskStatisticsRequest request) {
    TaskStatistics.Report report = statistics.compute(
        request.getTaskId().isEmpty() ? null : request.getTaskId(),
        request.hasStartTime() ? ProtoMapper.toMicros(request.getStartTime(), "start_time") : null,
        request.hasEndTime() ? ProtoMapper.toMicros(request.getEndTime(), "end_time") : null,
        InsightMapper.fromProto(request.getBucket()));
    return InsightMapper.toProto(report);
  }

  /** Handlers are set before returning, as gRPC requires; the feed does all sending on its thread. */
  void watch(WatchExecutionsRequest request, StreamObserver<WatchExecutionsResponse> out) {
    ServerCallStreamObserver<WatchExecutionsResponse> stream = (ServerCallStreamObserver<WatchExecutionsResponse>) out;
    ChangeFeed.Subscription subscription = feed.subscribe(InsightMapper.fromProto(request),
        new StreamSink(stream, feed.feedId()), InsightMapper.resumeFromProto(request));
    stream.setOnCancelHandler(subscription::cancel);
    stream.setOnReadyHandler(subscription::signal);
  }

  /** Sends feed events on one response stream. */
  private record StreamSink(ServerCallStreamObserver<WatchExecutionsResponse> stream, String feedId)
      implements ChangeFeed.Sink {
    @Override
    public boolean ready() {
      return stream.isReady() && !stream.isCancelled();
    }

    @Override
    public void started(long sequence, boolean resumed) {
      stream.onNext(InsightMapper.watchStarted(sequence, resumed, feedId));
    }

    @Override
    public void change(LogChange change) {
      stream.onNext(InsightMapper.toProto(change));
    }

    @Override
    public void lagged(long lastDeliveredSequence, ExecLogException error) {
      stream.onNext(InsightMapper.watchLagged(lastDeliveredSequence));
      stream.onError(StatusMapper.toStatus(error));
    }

    @Override
    public void closed(ExecLogException error) {
      stream.onError(StatusMapper.toStatus(error));
    }
  }
}
