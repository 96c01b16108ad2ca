package dev.execlog.server.http;

import dev.execlog.server.model.ExecLogException;
import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The HTTP port's TLS from the same PEM files as the gRPC port (--tls-cert, --tls-key), read by
 * gRPC's own PEM reader, so both ports take exactly the same files (a PKCS#8 key).
 */
final class PemTls {

  private PemTls() {}

  static SSLContext context(Path certificateChain, Path privateKey) {
    try {
      X509Certificate[] chain;
      try (InputStream in = Files.newInputStream(certificateChain)) {
        chain = CertificateUtils.getX509Certificates(in);
      }
      PrivateKey key;
      try (InputStream in = Files.newInputStream(privateKey)) {
        key = CertificateUtils.getPrivateKey(in);
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      char[] none = new char[0];
      store.setKeyEntry("execlog", key, none, chain);
      KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, none);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keys.getKeyManagers(), null, null);
      return tls;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw ExecLogException.config("cannot use the TLS files for the HTTP port: " + e.getMessage());
    }
  }
}
