package dev.execlog.server.security;

import com.google.rpc.Code;
import dev.execlog.server.grpc.StatusMapper;
import dev.execlog.server.model.ErrorReason;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.util.Locale;
import java.util.Map;

/**
 * Authenticates each call (see {@link Authentication}) and checks its role against
 * {@link AccessPolicy} before any handler runs, so a refused call changes nothing. Each refusal is
 * one line in the audit trail, written before the caller hears of it. Tokens are never logged or echoed.
 */
public final class AuthInterceptor implements ServerInterceptor {

  private final Authentication authentication;

  public AuthInterceptor(AuthConfig config) {
    this.authentication = new Authentication(config);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (AccessPolicy.isOpen(method)) {
      return next.startCall(call, headers);
    }
    Authentication.Outcome outcome =
        authentication.identify(headers, call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    if (outcome instanceof Authentication.Unidentified nobody) {
      return refuse(call, headers, nobody.who(), StatusMapper.status(Code.UNAUTHENTICATED, ErrorReason.UNAUTHENTICATED, Map.of(),
          nobody.why() + ": send one known bearer token in the authorization header, or a client certificate named"
              + " in the auth file"), nobody.why());
    }
    Principal principal = ((Authentication.Identified) outcome).principal();
    Role required = AccessPolicy.required(method);
    if (!principal.role().includes(required)) {
      String role = principal.role().name().toLowerCase(Locale.ROOT);
      String needs = required.name().toLowerCase(Locale.ROOT);
      return refuse(call, headers, AuditTrail.describe(principal), StatusMapper.status(Code.PERMISSION_DENIED,
          ErrorReason.ROLE_TOO_LOW, Map.of("role", role, "required", needs), principal.name() + " has role " + role
              + "; " + call.getMethodDescriptor().getBareMethodName() + " needs " + needs), "needs " + needs);
    }
    return Contexts.interceptCall(Context.current().withValue(Principal.CURRENT, principal), call, headers, next);
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Metadata headers, String who, StatusRuntimeException refusal,
      String why) {
    AuditTrail.refused(who, CallerAddress.of(call, headers),
        call.getMethodDescriptor().getBareMethodName(), refusal.getStatus().getCode(), why);
    call.close(refusal.getStatus(), refusal.getTrailers());
    return new ServerCall.Listener<>() {};
  }
}
