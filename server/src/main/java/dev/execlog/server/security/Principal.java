package dev.execlog.server.security;

import io.grpc.Context;

/** Who is calling, as configured in the auth file: a name for the audit trail and a role. */
public record Principal(String name, Role role) {

  /** The caller of the current call, set by {@link AuthInterceptor}. */
  public static final Context.Key<Principal> CURRENT = Context.key("execlog-principal");

  /** The caller when authentication is off: every call is allowed, and audited under this name. */
  public static final Principal ANONYMOUS = new Principal("anonymous", Role.ADMIN);

  public static Principal current() {
    Principal p = CURRENT.get();
    return p != null ? p : ANONYMOUS;
  }
}
