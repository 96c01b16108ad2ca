package dev.execlog.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.client.model.NewRun;
import dev.execlog.server.ExecLogServer;
import dev.execlog.server.ServerConfig;
import dev.execlog.server.security.AuthConfig;
import dev.execlog.server.security.TransportSecurity;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The client over TLS with a bearer token, against a server that requires both. */
class SecureConnectionTest {

  private static Path cert(Path dir, String name) throws Exception {
    return dev.execlog.client.TestCertificates.copy(dir, name);
  }

  @Test
  void tlsWithToken_recordsAndReadsWhileWrongTokenIsUnauthenticated() throws Exception {
    Path dir = Files.createTempDirectory("execlog-secure-");
    Path auth = dir.resolve("auth.json");
    Files.writeString(auth, "{\"tokens\": [{\"name\": \"ci\", \"role\": \"writer\", \"sha256\": \""
        + AuthConfig.hashHex("s3cret-token") + "\"}]}");
    ServerConfig config = ServerConfig.forProject(dir).withAuth(AuthConfig.load(auth));
    try (ExecLogServer server = ExecLogServer.start(config, NettyServerBuilder.forAddress(
        new InetSocketAddress("127.0.0.1", 0),
        TransportSecurity.serverCredentials(cert(dir, "server1.pem"), cert(dir, "server1.key"), null)))) {
      ConnectionOptions options = new ConnectionOptions("127.0.0.1:" + server.port(), cert(dir, "ca.pem"), null, null,
          "s3cret-token", "foo.test.google.fr");
      try (ExecutionLogClient client = ExecutionLogClient.connect(options, Duration.ofSeconds(10), Duration.ofMinutes(1))) {
        client.record(NewRun.builder("t_secure", "test").build());
        assertEquals(1, client.info().executionCount());
      }
      try (ExecutionLogClient wrong = ExecutionLogClient.connect(options.withToken("guess"), Duration.ofSeconds(10),
          Duration.ofMinutes(1))) {
        ExecLogClientException e = assertThrows(ExecLogClientException.class, wrong::info);
        assertEquals(Status.Code.UNAUTHENTICATED, e.code());
      }
    }
  }

  @Test
  void tlsWithToken_twoServers_bothServeOneClient() throws Exception {
    Path dir = Files.createTempDirectory("execlog-secure-list-");
    Path auth = dir.resolve("auth.json");
    Files.writeString(auth, "{\"tokens\": [{\"name\": \"ci\", \"role\": \"writer\", \"sha256\": \""
        + AuthConfig.hashHex("s3cret-token") + "\"}]}");
    Path a = Files.createDirectories(dir.resolve("a"));
    Path b = Files.createDirectories(dir.resolve("b"));
    try (ExecLogServer first = secureServer(a, auth, dir); ExecLogServer second = secureServer(b, auth, dir)) {
      ConnectionOptions options = new ConnectionOptions("127.0.0.1:" + first.port() + ", 127.0.0.1:" + second.port(),
          cert(dir, "ca.pem"), null, null, "s3cret-token", "foo.test.google.fr");
      try (ExecutionLogClient client = ExecutionLogClient.connect(options, Duration.ofSeconds(10), Duration.ofMinutes(1))) {
        for (int i = 0; i < 6; i++) {
          client.record(NewRun.builder("t_secure", "test").build());
        }
      }
      try (ExecutionLogClient one = ExecutionLogClient.connect(options.withTarget("127.0.0.1:" + first.port()));
          ExecutionLogClient two = ExecutionLogClient.connect(options.withTarget("127.0.0.1:" + second.port()))) {
        long onFirst = one.info().executionCount();
        long onSecond = two.info().executionCount();
        assertEquals(6, onFirst + onSecond);
        assertTrue(onFirst > 0 && onSecond > 0, onFirst + " and " + onSecond);
      }
    }
  }

  private static ExecLogServer secureServer(Path root, Path auth, Path dir) throws Exception {
    return ExecLogServer.start(ServerConfig.forProject(root).withAuth(AuthConfig.load(auth)),
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0),
            TransportSecurity.serverCredentials(cert(dir, "server1.pem"), cert(dir, "server1.key"), null)));
  }
}
