package dev.execlog.server.security;

import dev.execlog.server.model.ExecLogException;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import java.nio.file.Path;

/** Builds the transport credentials: plaintext, TLS, or TLS that requires client certificates. */
public final class TransportSecurity {

  private TransportSecurity() {}

  public static ServerCredentials serverCredentials(Path cert, Path key, Path clientCa) {
    if (cert == null && key == null) {
      if (clientCa != null) {
        throw ExecLogException.config("--tls-client-ca needs --tls-cert and --tls-key");
      }
      return InsecureServerCredentials.create();
    }
    if (cert == null || key == null) {
      throw ExecLogException.config("TLS needs both --tls-cert and --tls-key");
    }
    try {
      TlsServerCredentials.Builder tls = TlsServerCredentials.newBuilder().keyManager(cert.toFile(), key.toFile());
      if (clientCa != null) {
        tls.trustManager(clientCa.toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
      return tls.build();
    } catch (IOException | IllegalArgumentException e) {
      throw ExecLogException.config("cannot read the TLS files: " + e.getMessage());
    }
  }
}
