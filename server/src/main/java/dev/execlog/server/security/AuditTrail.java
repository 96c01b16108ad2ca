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
    Map<String, String> fields = fields("changed", describe(who), peer, method, "change", what);
    write(caller(fields) + " " + fields.get("change"), fields);
  }

  /** A change that was committed after its caller had gone away, so no answer told it. */
  static void changedUntold(Principal who, SocketAddress peer, String method, String what) {
    Map<String, String> fields = fields("changed", describe(who), peer, method, "change", what);
    fields.put("caller", "gone");
    write(caller(fields) + " " + fields.get("change") + " (committed after the caller had gone; it was not told)",
        fields);
  }

  /** A change the handler turned down (a bad request, a missing run) after the caller was let in. */
  static void failed(Principal who, SocketAddress peer, String method, Status.Code code) {
    Map<String, String> fields = fields("failed", describe(who), peer, method, "code", code.name());
    write(caller(fields) + " refused: " + code, fields);
  }

  /** A call turned away before any handler ran: {@code who} is a principal's description or a stand-in. */
  static void refused(String who, SocketAddress peer, String method, Status.Code code, String why) {
    Map<String, String> fields = fields("refused", who, peer, method, "code", code.name());
    fields.put("why", clean(why));
    write(caller(fields) + " refused: " + code + " (" + fields.get("why") + ")", fields);
  }

  /**
   * The same facts as the line, as fields for a JSON audit log. Every text from outside is cleaned
   * here, once, and the line is built from these fields.
   */
  private static Map<String, String> fields(String event, String who, SocketAddress peer, String method,
      String key, String value) {
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("event", event);
    fields.put("who", clean(who));
    fields.put("peer", clean(where(peer)));
    fields.put("method", clean(method));
    fields.put(key, clean(value));
    return fields;
  }

  /** {@code who from peer method}: how every line starts. */
  private static String caller(Map<String, String> fields) {
    return fields.get("who") + " from " + fields.get("peer") + " " + fields.get("method");
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
      AUDIT.logp(Level.INFO, AuditTrail.class.getName(), null, "audit: " + line, fields);
    }
  }

  private static String clean(String text) {
    return UNSAFE.matcher(text).replaceAll("?");
  }
}
