package dev.execlog.server.grpc;

import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.store.HistoryPage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque page tokens (AIP-158). A token carries where the next page starts and a fingerprint of the
 * filters, so a token reused with other filters is INVALID_ARGUMENT instead of a wrong page.
 */
final class PageTokens {

  private PageTokens() {}

  static String history(HistoryPage.Position next, String filters) {
    if (next == null) {
      return "";
    }
    return encode("h1|" + next.timeMicros() + "|" + next.seq() + "|" + filters.hashCode());
  }

  static HistoryPage.Position parseHistory(String token, String filters) {
    if (token.isEmpty()) {
      return null;
    }
    String[] parts = decode(token).split("\\|");
    try {
      if (parts.length != 4 || !parts[0].equals("h1")) {
        throw new IllegalArgumentException();
      }
      if (Integer.parseInt(parts[3]) != filters.hashCode()) {
        throw ExecLogException.invalid("page_token", "was issued for other filters; send the same filters"
            + " as the call that returned it");
      }
      return new HistoryPage.Position(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
    } catch (IllegalArgumentException e) {
      throw malformed();
    }
  }

  static String tasks(String lastTaskId) {
    return lastTaskId == null ? "" : encode("t1|" + lastTaskId);
  }

  static String parseTasks(String token) {
    if (token.isEmpty()) {
      return null;
    }
    String text = decode(token);
    if (!text.startsWith("t1|")) {
      throw malformed();
    }
    return text.substring(3);
  }

  static int pageSize(int requested, int max, int defaultSize) {
    if (requested < 0) {
      throw ExecLogException.invalid("page_size", "must not be negative");
    }
    return requested == 0 ? defaultSize : Math.min(requested, max);
  }

  private static String encode(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw malformed();
    }
  }

  private static ExecLogException malformed() {
    return ExecLogException.invalid("page_token", "is not a token this server issued");
  }
}
