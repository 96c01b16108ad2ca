package dev.execlog.server;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.execlog.v1.WatchExecutionsRequest;
import dev.execlog.v1.WatchExecutionsResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A watch client that queues what it receives; with manual flow control it reads only when told to. */
final class WatchProbe implements ClientResponseObserver<WatchExecutionsRequest, WatchExecutionsResponse> {

  private static final Object COMPLETED = new Object();
  private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final boolean manual;
  private ClientCallStreamObserver<WatchExecutionsRequest> call;

  WatchProbe(boolean manual) {
    this.manual = manual;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<WatchExecutionsRequest> requestStream) {
    call = requestStream;
    if (manual) {
      requestStream.disableAutoRequestWithInitial(1);
    }
  }

  @Override
  public void onNext(WatchExecutionsResponse value) {
    events.add(value);
  }

  @Override
  public void onError(Throwable t) {
    events.add(t);
  }

  @Override
  public void onCompleted() {
    events.add(COMPLETED);
  }

  void request(int n) {
    call.request(n);
  }

  void cancel() {
    call.cancel("test done", null);
  }

  WatchExecutionsResponse next() throws InterruptedException {
    Object e = events.poll(10, TimeUnit.SECONDS);
    assertNotNull(e, "no event within 10 s");
    if (e instanceof WatchExecutionsResponse r) {
      return r;
    }
    return fail("expected a message, got " + e);
  }

  /** The status the stream ended with. */
  StatusRuntimeException error() throws InterruptedException {
    Object e = events.poll(10, TimeUnit.SECONDS);
    if (e instanceof StatusRuntimeException sre) {
      return sre;
    }
    return fail("expected the stream to fail, got " + e);
  }

  /** Nothing more arrives within a short wait. */
  boolean quiet() throws InterruptedException {
    return events.poll(300, TimeUnit.MILLISECONDS) == null;
  }
}
