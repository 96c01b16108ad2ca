package dev.execlog.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/** How a streaming handler ends: its one result message, or its failure as a status. */
final class StreamResults {

  private StreamResults() {}

  /**
   * Runs the body, sends its result and completes the stream, or sends the failure as a status. A
   * result whose caller has gone is handed to {@link UndeliveredResults}, so a committed change is
   * still audited.
   */
  static <R> void finish(ServerCallStreamObserver<R> stream, Supplier<R> body) {
    R result;
    try {
      result = body.get();
    } catch (RuntimeException e) {
      if (!stream.isCancelled()) {
        stream.onError(StatusMapper.toStatus(e));
      }
      return;
    }
    if (stream.isCancelled()) {
      UndeliveredResults.report(result);
      return;
    }
    stream.onNext(result);
    stream.onCompleted();
  }

  static <R> ServerCallStreamObserver<R> serverStream(StreamObserver<R> out) {
    return (ServerCallStreamObserver<R>) out;
  }
}
