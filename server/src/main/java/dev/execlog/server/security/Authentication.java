package dev.execlog.server.security;

import io.grpc.Metadata;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Iterator;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * Decides who is calling from the authorization header and the client certificate, or why nobody
 * could be identified. The reason goes to the caller and the audit trail, so it never quotes a token.
 */
final class Authentication {

  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** What authentication found: a principal, or a stand-in name for the audit trail and the reason. */
  sealed interface Outcome {}

  record Identified(Principal principal) implements Outcome {}

  record Unidentified(String who, String why) implements Outcome {}

  private final AuthConfig config;

  Authentication(AuthConfig config) {
    this.config = config;
  }

  Outcome identify(Metadata headers, SSLSession session) {
    Iterable<String> values = headers.getAll(AUTHORIZATION);
    String header = null;
    if (values != null) {
      Iterator<String> it = values.iterator();
      header = it.next();
      if (it.hasNext()) {
        // Metadata keeps every value it was sent, and get() answers the last: a caller could put a
        // token it was given after one it guessed. One credential per call leaves no such choice.
        return new Unidentified("unknown token", "more than one authorization header");
      }
    }
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      Principal p = config.forToken(header.substring(7).trim());
      if (p != null) {
        return new Identified(p);
      }
    }
    X500Principal subject = clientSubject(session);
    if (subject != null) {
      Principal p = config.forSubject(subject);
      if (p != null) {
        return new Identified(p);
      }
    }
    if (header != null) {
      return new Unidentified("unknown token", "no known bearer token in the authorization header");
    }
    if (subject != null) {
      return new Unidentified("certificate " + subject.getName(), "client certificate not in the auth file");
    }
    return new Unidentified("anonymous", "no bearer token and no client certificate");
  }

  /** The verified client certificate's subject, or null without mutual TLS. */
  private static X500Principal clientSubject(SSLSession session) {
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate cert ? cert.getSubjectX500Principal() : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }
}
