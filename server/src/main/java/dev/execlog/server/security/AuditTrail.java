package dev.execlog.server.security;

import io.grpc.Status;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * The {@code execlog.audit} log, one line per event. Callers pass names and reasons, never a token;
 * control characters and line separators are replaced, so a principal's name or a certificate
 * subject cannot forge a second line.
 */
final class AuditTrail {

  private static final Logger AUDIT = Logger.getLogger("execlog.audit");

  private AuditTrail() {}

  static void changed(Principal who, SocketAddress peer, String method, String what) {
    write(describe(who) + " from " + where(peer) + " " + method + " " + what);
  }

  /** A change the handler turned down (a bad request, a missing run) after the caller was let in. */
  static void failed(Principal who, SocketAddress peer, String method, Status.Code code) {
    write(describe(who) + " from " + where(peer) + " " + method + " refused: " + code);
  }

  /** A call turned away before any handler ran: {@code who} is a principal's description or a stand-in. */
  static void refused(String who, SocketAddress peer, String method, Status.Code code, String why) {
    write(who + " from " + where(peer) + " " + method + " refused: " + code + " (" + why + ")");
  }

  static String describe(Principal who) {
    return who.name() + " (" + who.role().name().toLowerCase(Locale.ROOT) + ")";
  }

  private static String where(SocketAddress peer) {
    return peer != null ? peer.toString() : "in-process";
  }

  private static void write(String line) {
    AUDIT.info(() -> "audit: " + line.replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]", "?"));
  }
}
