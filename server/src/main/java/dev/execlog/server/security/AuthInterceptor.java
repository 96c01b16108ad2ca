package dev.execlog.server.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Locale;

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
      return refuse(call, nobody.who(), Status.UNAUTHENTICATED, nobody.why(), nobody.why() + ": send one known"
          + " bearer token in the authorization header, or a client certificate named in the auth file");
    }
    Principal principal = ((Authentication.Identified) outcome).principal();
    Role required = AccessPolicy.required(method);
    if (!principal.role().includes(required)) {
      String needs = "needs " + required.name().toLowerCase(Locale.ROOT);
      return refuse(call, AuditTrail.describe(principal), Status.PERMISSION_DENIED, needs,
          principal.name() + " has role " + principal.role().name().toLowerCase(Locale.ROOT) + "; "
              + call.getMethodDescriptor().getBareMethodName() + " " + needs);
    }
    return Contexts.interceptCall(Context.current().withValue(Principal.CURRENT, principal), call, headers, next);
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, String who, Status status, String why,
      String description) {
    AuditTrail.refused(who, call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
        call.getMethodDescriptor().getBareMethodName(), status.getCode(), why);
    call.close(status.withDescription(description), new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
