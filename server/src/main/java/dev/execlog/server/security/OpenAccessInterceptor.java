package dev.execlog.server.security;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Authentication is off (no auth file): every call is allowed. The server only listens on loopback
 * in this mode unless told otherwise, and the audit trail names callers "anonymous".
 */
public final class OpenAccessInterceptor implements ServerInterceptor {
  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    return next.startCall(call, headers);
  }
}
