package dev.execlog.server.observe;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Per-call metrics: started and handled counts by service, method, type and code, and handling time.
 * Installed around every service, so refused calls (authentication, unparsable requests) count too.
 */
final class RpcMetrics implements ServerInterceptor {

  private final Counter started;
  private final Counter handled;
  private final Histogram handling;

  RpcMetrics(PrometheusRegistry registry) {
    started = Counter.builder().name("grpc_server_started").help("Calls started on the server")
        .labelNames("grpc_service", "grpc_method", "grpc_type").register(registry);
    handled = Counter.builder().name("grpc_server_handled").help("Calls completed on the server, by status code")
        .labelNames("grpc_service", "grpc_method", "grpc_type", "grpc_code").register(registry);
    handling = Histogram.builder().name("grpc_server_handling_seconds").help("Time from a call's start to its status")
        .labelNames("grpc_service", "grpc_method", "grpc_type")
        .classicOnly().classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
            10, 30, 60, 300)
        .register(registry);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    MethodDescriptor<Q, R> method = call.getMethodDescriptor();
    String service = String.valueOf(method.getServiceName());
    String name = method.getBareMethodName();
    String type = type(method.getType());
    long start = System.nanoTime();
    started.labelValues(service, name, type).inc();
    return next.startCall(new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        handled.labelValues(service, name, type, status.getCode().name()).inc();
        handling.labelValues(service, name, type).observe((System.nanoTime() - start) / 1e9);
        super.close(status, trailers);
      }
    }, headers);
  }

  private static String type(MethodDescriptor.MethodType type) {
    return switch (type) {
      case UNARY -> "unary";
      case CLIENT_STREAMING -> "client_stream";
      case SERVER_STREAMING -> "server_stream";
      case BIDI_STREAMING -> "bidi_stream";
      case UNKNOWN -> "unknown";
    };
  }
}
