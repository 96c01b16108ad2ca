package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static dev.execlog.server.TransportSecurityTest.cert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.security.AuthConfig;
import dev.execlog.server.security.TransportSecurity;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.GetLogInfoRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The auth file names a client certificate's subject however its author copied it: openssl prints
 * it country first ({@code C = AU, ..., CN = testclient}), Java and keytool name first. The
 * certificate is grpc-testing's client.pem, subject {@code CN=testclient, O=Internet Widgits Pty Ltd,
 * ST=Some-State, C=AU}; each case is a real mutual-TLS call over loopback.
 */
class CertificateSubjectTest {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "CN=testclient, O=Internet Widgits Pty Ltd, ST=Some-State, C=AU",
      "C=AU, ST=Some-State, O=Internet Widgits Pty Ltd, CN=testclient",
      "C = AU, ST = Some-State, O = Internet Widgits Pty Ltd, CN = testclient",
      "O=Internet Widgits Pty Ltd, CN=testclient, C=AU, ST=Some-State",
      "cn=testclient, o=Internet Widgits Pty Ltd, st=Some-State, c=AU",
      "c=AU,st=Some-State,o=Internet Widgits Pty Ltd,cn=testclient",
      "2.5.4.3=testclient, O=Internet Widgits Pty Ltd, ST=Some-State, C=AU"})
  void subjectInAnyOrderSpacingOrTypeCase_mapsToItsRole(String mapped) throws Exception {
    assertEquals(Status.Code.OK, callWithClientCertificate(mapped));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "CN=TestClient, O=Internet Widgits Pty Ltd, ST=Some-State, C=AU",
      "CN=testclient, O=Internet Widgits Pty Ltd, ST=Some-State",
      "CN=testclient, O=Internet Widgits Pty Ltd, ST=Some-State, C=AU, C=AU",
      "CN=testclient+O=Internet Widgits Pty Ltd, ST=Some-State, C=AU",
      "CN=testclient, O=Internet Widgits Pty Ltd, ST=Some-State, C=NZ"})
  void otherValuesOrOtherRdns_doNotMatch(String mapped) throws Exception {
    assertEquals(Status.Code.UNAUTHENTICATED, callWithClientCertificate(mapped));
  }

  @Test
  void aSubjectMappedTwiceInDifferentSpellings_isRefusedAtLoad() throws Exception {
    Path file = Files.createTempDirectory("execlog-dn-").resolve("auth.json");
    Files.writeString(file, """
        {"certificates": [{"subject": "CN=runner,O=Data", "name": "a", "role": "reader"},
                          {"subject": "o=Data, cn=runner", "name": "b", "role": "admin"}]}""");
    ExecLogException e = assertThrows(ExecLogException.class, () -> AuthConfig.load(file));
    assertEquals(ErrorReason.CONFIG_INVALID, e.reason());
    assertTrue(e.getMessage().contains("more than once"), e.getMessage());
  }

  @Test
  void aSubjectThatIsNoDistinguishedName_isRefusedAtLoad() throws Exception {
    Path file = authFile(Files.createTempDirectory("execlog-dn-"), "runner");
    ExecLogException e = assertThrows(ExecLogException.class, () -> AuthConfig.load(file));
    assertEquals(ErrorReason.CONFIG_INVALID, e.reason());
  }

  private static Path authFile(Path dir, String subject) throws Exception {
    Path file = dir.resolve("auth.json");
    Files.writeString(file, """
        {"certificates": [{"subject": "%s", "name": "runner", "role": "writer"}]}""".formatted(subject));
    return file;
  }

  /** The status of a write made with client.pem against a server whose auth file maps this subject. */
  private static Status.Code callWithClientCertificate(String mapped) throws Exception {
    Path dir = Files.createTempDirectory("execlog-dn-");
    ServerConfig config = ServerConfig.forProject(dir)
        .withAuth(AuthConfig.load(authFile(dir, mapped)));
    try (ExecLogServer server = ExecLogServer.start(config, NettyServerBuilder.forAddress(
        new InetSocketAddress("127.0.0.1", 0), TransportSecurity.serverCredentials(
            cert(dir, "server1.pem"), cert(dir, "server1.key"), cert(dir, "ca.pem"))))) {
      ManagedChannel channel = TransportSecurityTest.channel(server.port(), TlsChannelCredentials.newBuilder()
          .trustManager(cert(dir, "ca.pem").toFile())
          .keyManager(cert(dir, "client.pem").toFile(), cert(dir, "client.key").toFile()).build());
      try {
        var stub = ExecutionLogServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
        stub.recordExecution(record(run("t_dn")));
        assertEquals(1, stub.getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount());
        return Status.Code.OK;
      } catch (StatusRuntimeException e) {
        return e.getStatus().getCode();
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
