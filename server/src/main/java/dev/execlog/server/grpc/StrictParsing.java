package dev.execlog.server.grpc;

import com.google.rpc.Code;
import dev.execlog.server.model.ErrorReason;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a request that cannot be parsed (malformed UTF-8 in a string field, truncated bytes) an
 * INVALID_ARGUMENT, instead of grpc-java's UNKNOWN "Application error processing RPC": the client
 * sent it, the client must fix it. grpc-java turns any exception of a request marshaller into
 * UNKNOWN, so the marshaller hands on null and an interceptor closes the call.
 */
public final class StrictParsing {

  /**
   * Why the last request failed to parse. grpc-java parses a request on the thread that hands it to
   * the listener right after, so the interceptor below reads it there.
   */
  private static final ThreadLocal<Status> PARSE_FAILURE = new ThreadLocal<>();

  private StrictParsing() {}

  /** The limit grpc-java names at the end of its description ("... exceeds maximum size 65536"). */
  private static Map<String, String> limit(Status failure) {
    Matcher digits = Pattern.compile("(\\d+)\\D*$").matcher(String.valueOf(failure.getDescription()));
    return digits.find() ? Map.of("limit", digits.group(1)) : Map.of();
  }

  public static ServerServiceDefinition wrap(ServerServiceDefinition service) {
    ServiceDescriptor original = service.getServiceDescriptor();
    // The schema descriptor is what server reflection reads: without it the service is invisible to grpcurl.
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
        .setSchemaDescriptor(original.getSchemaDescriptor());
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      ServerMethodDefinition<?, ?> wrapped = lenient(method);
      descriptor.addMethod(wrapped.getMethodDescriptor());
      methods.add(wrapped);
    }
    ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(builder::addMethod);
    return ServerInterceptors.intercept(builder.build(), new RejectUnparsable());
  }

  private static <Q, R> ServerMethodDefinition<Q, R> lenient(ServerMethodDefinition<Q, R> method) {
    MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
    MethodDescriptor.Marshaller<Q> original = descriptor.getRequestMarshaller();
    MethodDescriptor.Marshaller<Q> nullOnFailure = new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(Q value) {
        return original.stream(value);
      }

      @Override
      public Q parse(InputStream stream) {
        try {
          return original.parse(stream);
        } catch (StatusRuntimeException e) {
          PARSE_FAILURE.set(e.getStatus());
          return null;
        }
      }
    };
    return ServerMethodDefinition.create(descriptor.toBuilder().setRequestMarshaller(nullOnFailure).build(),
        method.getServerCallHandler());
  }

  /** Closes a call whose request could not be parsed, and keeps the handler from ever seeing it. */
  private static final class RejectUnparsable implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      ServerCall.Listener<Q> delegate = next.startCall(call, headers);
      return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
        private boolean rejected;

        @Override
        public void onMessage(Q message) {
          if (rejected) {
            return;
          }
          if (message == null) {
            rejected = true;
            Status failure = PARSE_FAILURE.get();
            PARSE_FAILURE.remove();
            StatusRuntimeException refusal = failure != null && failure.getCode() == Status.Code.RESOURCE_EXHAUSTED
                ? StatusMapper.status(Code.RESOURCE_EXHAUSTED, ErrorReason.MESSAGE_TOO_LARGE, limit(failure),
                    "the request is over the server's message limit once decompressed (" + failure.getDescription()
                        + "; --max-message-bytes sets it)")
                : StatusMapper.status(Code.INVALID_ARGUMENT, ErrorReason.UNPARSABLE_REQUEST,
                    Map.of("method", call.getMethodDescriptor().getFullMethodName()), "the request is not a valid "
                        + call.getMethodDescriptor().getBareMethodName() + " request (malformed UTF-8 in a string"
                        + " field, or truncated or corrupt protobuf bytes)");
            call.close(refusal.getStatus(), refusal.getTrailers());
            return;
          }
          super.onMessage(message);
        }

        @Override
        public void onHalfClose() {
          if (!rejected) {
            super.onHalfClose();
          }
        }
      };
    }
  }
}
