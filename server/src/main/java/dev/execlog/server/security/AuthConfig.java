package dev.execlog.server.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execlog.server.model.ExecLogException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.security.auth.x500.X500Principal;

/**
 * Who may call, read from the auth file:
 *
 * <pre>{@code
 * {"tokens": [{"name": "ci", "role": "writer", "sha256": "<hex SHA-256 of the token>"}],
 *  "certificates": [{"subject": "CN=runner-1,O=Data", "name": "runner-1", "role": "writer"}]}
 * }</pre>
 *
 * Only hashes are stored, so the file does not reveal tokens; {@code execlog-server hash-token}
 * prints the hash of a token.
 */
public final class AuthConfig {

  private final Map<String, Principal> byTokenHash;
  private final Map<SubjectName, Principal> bySubject;

  private AuthConfig(Map<String, Principal> byTokenHash, Map<SubjectName, Principal> bySubject) {
    this.byTokenHash = byTokenHash;
    this.bySubject = bySubject;
  }

  public static AuthConfig load(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw ExecLogException.config("cannot read the auth file " + file + ": " + e.getMessage());
    }
    Map<String, Principal> tokens = new HashMap<>();
    Map<SubjectName, Principal> subjects = new HashMap<>();
    for (JsonNode t : root.path("tokens")) {
      String hash = text(t, "sha256", file).toLowerCase(Locale.ROOT);
      if (!hash.matches("[0-9a-f]{64}")) {
        throw ExecLogException.config(file + ": sha256 must be 64 hex digits (see hash-token)");
      }
      tokens.put(hash, new Principal(text(t, "name", file), role(t, file)));
    }
    for (JsonNode c : root.path("certificates")) {
      String subject = text(c, "subject", file);
      // Two spellings of one subject would otherwise leave the role to whichever entry came last.
      if (subjects.put(subjectName(subject, file), new Principal(text(c, "name", file), role(c, file))) != null) {
        throw ExecLogException.config(file + ": the subject " + subject
            + " is mapped more than once (RDN order, spacing and type case do not matter)");
      }
    }
    if (tokens.isEmpty() && subjects.isEmpty()) {
      throw ExecLogException.config(file + " names no token and no certificate: nobody could call");
    }
    return new AuthConfig(tokens, subjects);
  }

  private static String text(JsonNode node, String key, Path file) {
    String v = node.path(key).asText("");
    if (v.isBlank()) {
      throw ExecLogException.config(file + ": every entry needs \"" + key + "\"");
    }
    return v;
  }

  private static SubjectName subjectName(String subject, Path file) {
    try {
      return SubjectName.parse(subject);
    } catch (IllegalArgumentException e) {
      throw ExecLogException.config(file + ": \"" + subject + "\" is not a distinguished name"
          + " such as CN=runner-1,O=Data");
    }
  }

  private static Role role(JsonNode node, Path file) {
    try {
      return Role.parse(text(node, "role", file));
    } catch (IllegalArgumentException e) {
      throw ExecLogException.config(file + ": role must be reader, writer or admin");
    }
  }

  /** The principal holding this bearer token, or null. Compares hashes in constant time. */
  public Principal forToken(String token) {
    byte[] hash = sha256(token);
    for (Map.Entry<String, Principal> e : byTokenHash.entrySet()) {
      if (MessageDigest.isEqual(hash, HexFormat.of().parseHex(e.getKey()))) {
        return e.getValue();
      }
    }
    return null;
  }

  /** The principal mapped to a client certificate's subject, compared as {@link SubjectName} does; or null. */
  public Principal forSubject(X500Principal subject) {
    return bySubject.get(SubjectName.of(subject));
  }

  public static String hashHex(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
