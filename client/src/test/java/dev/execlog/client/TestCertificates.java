package dev.execlog.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The test certificates grpc-testing ships (server1 for *.test.google.fr, a CA, a client), copied to
 * files because the TLS builders read files.
 */
public final class TestCertificates {

  /** The name the server certificate is issued for; clients override the authority with it. */
  public static final String AUTHORITY = "foo.test.google.fr";

  private TestCertificates() {}

  public static Path copy(Path dir, String name) throws IOException {
    try (InputStream in = TestCertificates.class.getResourceAsStream("/certs/" + name)) {
      if (in == null) {
        throw new IOException("grpc-testing's certificate " + name + " is not on the class path");
      }
      Path file = dir.resolve(name);
      Files.write(file, in.readAllBytes());
      return file;
    }
  }
}
