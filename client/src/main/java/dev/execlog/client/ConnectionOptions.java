package dev.execlog.client;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * How to reach a server: its address, TLS (a CA to trust, and a client certificate for mutual
 * TLS), and a bearer token. {@link #fromEnvironment()} reads the same variables as the CLI.
 *
 * @param target host:port
 * @param caFile PEM CA certificates to trust; null for plaintext unless a client certificate is given
 * @param certFile PEM client certificate chain for mutual TLS, or null
 * @param keyFile PEM private key of {@code certFile}, or null
 * @param token bearer token sent with every call, or null
 * @param authority the name to expect in the server's certificate when it differs from the host, or null
 */
public record ConnectionOptions(String target, Path caFile, Path certFile, Path keyFile, String token,
    String authority) {

  public static ConnectionOptions plaintext(String target) {
    return new ConnectionOptions(target, null, null, null, null, null);
  }

  /** {@code EXECLOG_SERVER}, {@code EXECLOG_TLS_CA}, {@code EXECLOG_TLS_CERT}, {@code EXECLOG_TLS_KEY}, {@code EXECLOG_TOKEN}. */
  public static ConnectionOptions fromEnvironment() {
    return new ConnectionOptions(ExecutionLogClient.defaultTarget(), path("EXECLOG_TLS_CA"), path("EXECLOG_TLS_CERT"),
        path("EXECLOG_TLS_KEY"), blankToNull(System.getenv("EXECLOG_TOKEN")), null);
  }

  public ConnectionOptions withTarget(String newTarget) {
    return new ConnectionOptions(newTarget, caFile, certFile, keyFile, token, authority);
  }

  public ConnectionOptions withToken(String newToken) {
    return new ConnectionOptions(target, caFile, certFile, keyFile, newToken, authority);
  }

  public boolean usesTls() {
    return caFile != null || certFile != null;
  }

  ChannelCredentials channelCredentials() {
    if (!usesTls()) {
      return InsecureChannelCredentials.create();
    }
    try {
      TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
      if (caFile != null) {
        tls.trustManager(caFile.toFile());
      }
      if (certFile != null) {
        if (keyFile == null) {
          throw new IllegalArgumentException("a client certificate needs its key (EXECLOG_TLS_KEY / --tls-key)");
        }
        tls.keyManager(certFile.toFile(), keyFile.toFile());
      }
      return tls.build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the TLS files: " + e.getMessage(), e);
    }
  }

  private static Path path(String variable) {
    String value = blankToNull(System.getenv(variable));
    return value == null ? null : Path.of(value);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
