package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.client.TestCertificates;
import dev.execlog.server.ExecLogServer;
import dev.execlog.server.ServerConfig;
import dev.execlog.server.security.AuthConfig;
import dev.execlog.server.security.TransportSecurity;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The CLI against a server with TLS and tokens: the right token works, others get exit 7. */
class SecuredServerTest {

  private static Path cert(Path dir, String name) throws Exception {
    return TestCertificates.copy(dir, name);
  }

  @Test
  void tokenFileAndTls_recordWorksAndReaderIsRefusedWithExitSeven() throws Exception {
    Path dir = Files.createTempDirectory("execlog-cli-secure-");
    Files.writeString(dir.resolve("writer.token"), "writer-secret\n");
    Files.writeString(dir.resolve("reader.token"), "reader-secret\n");
    Files.writeString(dir.resolve("auth.json"), "{\"tokens\": ["
        + "{\"name\": \"ci\", \"role\": \"writer\", \"sha256\": \"" + AuthConfig.hashHex("writer-secret") + "\"},"
        + "{\"name\": \"dash\", \"role\": \"reader\", \"sha256\": \"" + AuthConfig.hashHex("reader-secret") + "\"}]}");
    ServerConfig config = ServerConfig.forProject(dir).withAuth(AuthConfig.load(dir.resolve("auth.json")));
    try (ExecLogServer server = ExecLogServer.start(config, NettyServerBuilder.forAddress(
        new InetSocketAddress("127.0.0.1", 0),
        TransportSecurity.serverCredentials(cert(dir, "server1.pem"), cert(dir, "server1.key"), null)))) {
      String[] common = {"--server", "127.0.0.1:" + server.port(), "--tls-ca", cert(dir, "ca.pem").toString(),
          "--tls-authority", "foo.test.google.fr"};
      CliServerExtension.Result ok = CliServerExtension.runRaw(concat(new String[] {"record", "--task", "t_s",
          "--type", "x", "--token-file", dir.resolve("writer.token").toString()}, common));
      assertEquals(0, ok.exitCode(), ok.err());
      CliServerExtension.Result denied = CliServerExtension.runRaw(concat(new String[] {"record", "--task", "t_s",
          "--type", "x", "--token-file", dir.resolve("reader.token").toString()}, common));
      assertEquals(7, denied.exitCode(), denied.err());
      assertTrue(denied.err().contains("needs writer"), denied.err());
      assertTrue(!denied.err().contains("reader-secret"), "the token is never printed");
      CliServerExtension.Result anonymous = CliServerExtension.runRaw(concat(new String[] {"info"}, common));
      assertEquals(7, anonymous.exitCode(), anonymous.err());
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
