package dev.execlog.server.security;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Iterator;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Authenticates each call (a bearer token, or a client certificate mapped in the auth file) and
 * checks its role against {@link AccessPolicy} before any handler runs, so a refused call changes
 * nothing. Tokens are never logged or echoed.
 */
public final class AuthInterceptor implements ServerInterceptor {

  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final AuthConfig config;

  public AuthInterceptor(AuthConfig config) {
    this.config = config;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (AccessPolicy.isOpen(method)) {
      return next.startCall(call, headers);
    }
    if (moreThanOne(headers.getAll(AUTHORIZATION))) {
      // Metadata keeps every value it was sent, and get() answers the last: a caller could put a
      // token it was given after one it guessed. One credential per call leaves no such choice.
      call.close(Status.UNAUTHENTICATED.withDescription("more than one authorization header: send exactly one"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Principal principal = authenticate(call, headers);
    if (principal == null) {
      call.close(Status.UNAUTHENTICATED.withDescription("send a known bearer token in the authorization header"
          + " (or a client certificate named in the auth file)"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Role required = AccessPolicy.required(method);
    if (!principal.role().includes(required)) {
      call.close(Status.PERMISSION_DENIED.withDescription(principal.name() + " has role "
          + principal.role().name().toLowerCase() + "; " + call.getMethodDescriptor().getBareMethodName()
          + " needs " + required.name().toLowerCase()), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(Principal.CURRENT, principal), call, headers, next);
  }

  private static boolean moreThanOne(Iterable<String> values) {
    if (values == null) {
      return false;
    }
    Iterator<String> it = values.iterator();
    it.next();
    return it.hasNext();
  }

  private Principal authenticate(ServerCall<?, ?> call, Metadata headers) {
    String header = headers.get(AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      Principal p = config.forToken(header.substring(7).trim());
      if (p != null) {
        return p;
      }
    }
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session != null) {
      try {
        Certificate[] chain = session.getPeerCertificates();
        if (chain.length > 0 && chain[0] instanceof X509Certificate cert) {
          return config.forSubject(cert.getSubjectX500Principal());
        }
      } catch (SSLPeerUnverifiedException e) {
        return null;
      }
    }
    return null;
  }
}
