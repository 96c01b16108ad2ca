package dev.execlog.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the attempts gRPC makes for each call (one stream tracer per attempt; transparent
 * retries of streams that never left the client are not counted), to tell a retried call from
 * one that was not.
 */
final class AttemptCounter implements ClientInterceptor {

  /** One call: its method and how many attempts it took. */
  record Call(String method, AtomicInteger attempts) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    Call call = new Call(method.getBareMethodName(), new AtomicInteger());
    calls.add(call);
    return next.newCall(method, options.withStreamTracerFactory(new ClientStreamTracer.Factory() {
      @Override
      public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
        if (!info.isTransparentRetry()) {
          call.attempts().incrementAndGet();
        }
        return new ClientStreamTracer() {};
      }
    }));
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The attempts of the last call of {@code method}. */
  int lastAttempts(String method) {
    for (int i = calls.size() - 1; i >= 0; i--) {
      if (calls.get(i).method().equals(method)) {
        return calls.get(i).attempts().get();
      }
    }
    throw new AssertionError("no call of " + method);
  }

  void clear() {
    calls.clear();
  }
}
