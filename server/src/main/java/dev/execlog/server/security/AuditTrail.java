package dev.execlog.server.security;

import io.grpc.Status;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The {@code execlog.audit} log, one line per event. Callers pass names and reasons, never a token;
 * control characters and line separators are replaced, so a principal's name or a certificate
 * subject cannot forge a second line.
 */
final class AuditTrail {

  private static final Logger AUDIT = Logger.getLogger("execlog.audit");
  /** Control characters and line separators; compiled once, as every change writes a line. */
  private static final Pattern UNSAFE = Pattern.compile("[\\p{Cc}\\p{Zl}\\p{Zp}]");

  private AuditTrail() {}

  static void changed(Principal who, SocketAddress peer, String method, String what) {
    write(describe(who) + " from " + where(peer) + " " + method + " " + what,
        fields("changed", describe(who), peer, method, "change", what));
  }

  /** A change that was committed after its caller had gone away, so no answer told it. */
  static void changedUntold(Principal who, SocketAddress peer, String method, String what) {
    Map<String, String> fields = fields("changed", describe(who), peer, method, "change", what);
    fields.put("caller", "gone");
    write(describe(who) + " from " + where(peer) + " " + method + " " + what
        + " (committed after the caller had gone; it was not told)", fields);
  }

  /** A change the handler turned down (a bad request, a missing run) after the caller was let in. */
  static void failed(Principal who, SocketAddress peer, String method, Status.Code code) {
    write(describe(who) + " from " + where(peer) + " " + method + " refused: " + code,
        fields("failed", describe(who), peer, method, "code", code.name()));
  }

  /** A call turned away before any handler ran: {@code who} is a principal's description or a stand-in. */
  static void refused(String who, SocketAddress peer, String method, Status.Code code, String why) {
    Map<String, String> fields = fields("refused", who, peer, method, "code", code.name());
    fields.put("why", clean(why));
    write(who + " from " + where(peer) + " " + method + " refused: " + code + " (" + why + ")", fields);
  }

  /** The same facts as the line, as fields for a JSON audit log. */
  private static Map<String, String> fields(String event, String who, SocketAddress peer, String method,
      String key, String value) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("event", event);
    fields.put("who", clean(who));
    fields.put("peer", where(peer));
    fields.put("method", method);
    fields.put(key, clean(value));
    return fields;
  }

  static String describe(Principal who) {
    return who.name() + " (" + who.role().name().toLowerCase(Locale.ROOT) + ")";
  }

  private static String where(SocketAddress peer) {
    return peer != null ? peer.toString() : "in-process";
  }

  private static void write(String line, Map<String, String> fields) {
    if (AUDIT.isLoggable(Level.INFO)) {
      // The source named here, so no formatter walks the stack to find the caller.
      AUDIT.logp(Level.INFO, AuditTrail.class.getName(), null, "audit: " + clean(line), fields);
    }
  }

  private static String clean(String text) {
    return UNSAFE.matcher(text).replaceAll("?");
  }
}
