package dev.execlog.server.grpc;

import dev.execlog.server.ops.ProgressSink;
import dev.execlog.v1.Progress;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.function.Function;

/**
 * Sends progress events on a response stream: every change of stage, the end of each stage, and
 * otherwise at most one event per interval, so a fast pass over a million runs does not flood the
 * client.
 */
final class StreamProgress<R> implements ProgressSink {

  private static final long INTERVAL_NANOS = 100_000_000L;

  private final ServerCallStreamObserver<R> stream;
  private final Function<Progress, R> wrap;
  private String lastStage;
  private long lastSent;

  StreamProgress(ServerCallStreamObserver<R> stream, Function<Progress, R> wrap) {
    this.stream = stream;
    this.wrap = wrap;
  }

  @Override
  public synchronized void report(String stage, long done, long total, String message) {
    long now = System.nanoTime();
    boolean stageEnd = total > 0 && done >= total;
    if (stage.equals(lastStage) && !stageEnd && now - lastSent < INTERVAL_NANOS) {
      return;
    }
    if (stream.isCancelled()) {
      return;
    }
    lastStage = stage;
    lastSent = now;
    stream.onNext(wrap.apply(Progress.newBuilder()
        .setStage(stage).setDone(done).setTotal(total).setMessage(message).build()));
  }

  @Override
  public boolean cancelled() {
    return stream.isCancelled();
  }
}
