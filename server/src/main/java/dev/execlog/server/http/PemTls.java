package dev.execlog.server.http;

import dev.execlog.server.model.ExecLogException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The HTTP port's TLS from the same PEM files as the gRPC port (--tls-cert, --tls-key): a
 * certificate chain and a PKCS#8 private key, the form gRPC's Netty transport takes too.
 */
final class PemTls {

  private PemTls() {}

  static SSLContext context(Path certificateChain, Path privateKey) {
    try {
      Certificate[] chain;
      try (InputStream in = Files.newInputStream(certificateChain)) {
        chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
      }
      PrivateKey key = privateKey(Files.readString(privateKey), chain[0].getPublicKey().getAlgorithm());
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

  private static PrivateKey privateKey(String pem, String algorithm) throws GeneralSecurityException {
    String begin = "-----BEGIN PRIVATE KEY-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf("-----END PRIVATE KEY-----");
    if (from < 0 || to < 0) {
      throw new GeneralSecurityException("the key is not a PKCS#8 PEM key (BEGIN PRIVATE KEY); convert it with"
          + " 'openssl pkcs8 -topk8 -nocrypt'");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
  }
}
