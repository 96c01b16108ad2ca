package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.server.security.AuthConfig;
import dev.execlog.server.security.TransportSecurity;
import dev.execlog.v1.DeleteExecutionRequest;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.GetLogInfoRequest;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * TLS and mutual TLS over real sockets, with the test certificates that grpc-testing ships (issued
 * for *.test.google.fr, so clients override the authority).
 */
class TransportSecurityTest {

  static Path cert(Path dir, String name) throws Exception {
    try (InputStream in = TransportSecurityTest.class.getResourceAsStream("/certs/" + name)) {
      Path file = dir.resolve(name);
      Files.write(file, in.readAllBytes());
      return file;
    }
  }

  static ManagedChannel channel(int port, ChannelCredentials credentials) {
    return Grpc.newChannelBuilder("127.0.0.1:" + port, credentials).overrideAuthority("foo.test.google.fr").build();
  }

  @Test
  void tls_encryptedClientWorksAndPlaintextClientFails() throws Exception {
    Path dir = Files.createTempDirectory("execlog-tls-");
    try (ExecLogServer server = ExecLogServer.start(ServerConfig.forProject(dir), NettyServerBuilder.forAddress(
        new InetSocketAddress("127.0.0.1", 0),
        TransportSecurity.serverCredentials(cert(dir, "server1.pem"), cert(dir, "server1.key"), null)))) {
      ManagedChannel tls = channel(server.port(), TlsChannelCredentials.newBuilder()
          .trustManager(cert(dir, "ca.pem").toFile()).build());
      ManagedChannel plain = channel(server.port(), InsecureChannelCredentials.create());
      try {
        var stub = ExecutionLogServiceGrpc.newBlockingStub(tls).withDeadlineAfter(10, TimeUnit.SECONDS);
        stub.recordExecution(record(run("t_tls")));
        assertEquals(1, stub.getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount());
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ExecutionLogServiceGrpc
            .newBlockingStub(plain).withDeadlineAfter(5, TimeUnit.SECONDS).getLogInfo(GetLogInfoRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
      } finally {
        tls.shutdownNow();
        plain.shutdownNow();
      }
    }
  }

  @Test
  void mutualTls_certificateSubjectMapsToARoleAndClientsWithoutCertificatesAreRefused() throws Exception {
    Path dir = Files.createTempDirectory("execlog-mtls-");
    ServerConfig config = ServerConfig.forProject(dir).withAuth(AuthConfig.load(SecurityTest.writeAuthFile(dir)));
    try (ExecLogServer server = ExecLogServer.start(config, NettyServerBuilder.forAddress(
        new InetSocketAddress("127.0.0.1", 0), TransportSecurity.serverCredentials(
            cert(dir, "server1.pem"), cert(dir, "server1.key"), cert(dir, "ca.pem"))))) {
      ManagedChannel withCert = channel(server.port(), TlsChannelCredentials.newBuilder()
          .trustManager(cert(dir, "ca.pem").toFile())
          .keyManager(cert(dir, "client.pem").toFile(), cert(dir, "client.key").toFile()).build());
      ManagedChannel withoutCert = channel(server.port(), TlsChannelCredentials.newBuilder()
          .trustManager(cert(dir, "ca.pem").toFile()).build());
      try {
        var stub = ExecutionLogServiceGrpc.newBlockingStub(withCert).withDeadlineAfter(10, TimeUnit.SECONDS);
        stub.recordExecution(record(run("t_mtls")));
        StatusRuntimeException denied = assertThrows(StatusRuntimeException.class, () -> stub.deleteExecution(
            DeleteExecutionRequest.newBuilder().setRunId("123e4567-e89b-12d3-a456-426614174000").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
        assertTrue(denied.getStatus().getDescription().startsWith("cert-client has role writer"));
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> ExecutionLogServiceGrpc
            .newBlockingStub(withoutCert).withDeadlineAfter(5, TimeUnit.SECONDS)
            .getLogInfo(GetLogInfoRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
      } finally {
        withCert.shutdownNow();
        withoutCert.shutdownNow();
      }
    }
  }

  @Test
  void nonLoopbackWithoutTlsAndTokens_refusesToStartUnlessForced() throws Exception {
    Path dir = Files.createTempDirectory("execlog-exposed-");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int exit;
    try {
      System.setErr(new PrintStream(err, true));
      exit = new CommandLine(new ServerMain()).execute("--root", dir.toString(), "--host", "0.0.0.0", "--port", "0");
    } finally {
      System.setErr(saved);
    }
    assertEquals(1, exit);
    assertTrue(err.toString().contains("refusing to listen on 0.0.0.0 without TLS and authentication"), err.toString());
    ByteArrayOutputStream httpErr = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(httpErr, true));
      exit = new CommandLine(new ServerMain()).execute("--root", dir.toString(), "--port", "0",
          "--http-port", "0", "--http-host", "0.0.0.0");
    } finally {
      System.setErr(saved);
    }
    assertEquals(1, exit, "the HTTP/JSON port follows the same rule");
    assertTrue(httpErr.toString().contains("refusing to listen on 0.0.0.0 without TLS and authentication (--http-host)"),
        httpErr.toString());
    assertTrue(ServerMain.isLoopback("localhost"));
    assertTrue(ServerMain.isLoopback("::1"));
  }
}
