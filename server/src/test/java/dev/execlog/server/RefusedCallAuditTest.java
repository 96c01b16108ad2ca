package dev.execlog.server;

import static dev.execlog.server.AuthorizationHeaderTest.withHeaders;
import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static dev.execlog.server.TransportSecurityTest.cert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.server.security.AuthConfig;
import dev.execlog.server.security.TransportSecurity;
import dev.execlog.v1.DeleteExecutionRequest;
import dev.execlog.v1.GetLogInfoRequest;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every call refused by authentication or by role leaves exactly one line in the execlog.audit log
 * naming who, from where, which method and why, and no part of any token. Real servers on loopback.
 */
class RefusedCallAuditTest {

  private static final String UNKNOWN = "Xq7vR2mLp9TzK4sW";
  private static final List<String> TOKENS =
      List.of(UNKNOWN, SecurityTest.READER, SecurityTest.WRITER, SecurityTest.ADMIN);
  private static final DeleteExecutionRequest DELETE =
      DeleteExecutionRequest.newBuilder().setRunId("123e4567-e89b-12d3-a456-426614174000").build();

  @RegisterExtension
  final AuditLines auditLines = new AuditLines();
  private final List<String> audit = auditLines.lines();
  private Path dir;

  @BeforeEach
  void createDir() throws Exception {
    dir = Files.createTempDirectory("execlog-refusals-");
  }

  @Test
  void tokenRefusals_eachLeaveOneLineWithWhoWhereWhatAndWhy() throws Exception {
    overPlaintext(SecurityTest.writeAuthFile(dir), channel -> {
      String line = refusedOnce(() -> withHeaders(channel).getLogInfo(GetLogInfoRequest.getDefaultInstance()),
          Status.Code.UNAUTHENTICATED);
      assertMentions(line, "anonymous", "from /127.0.0.1:", "GetLogInfo", "UNAUTHENTICATED", "no bearer token");

      line = refusedOnce(() -> withHeaders(channel, UNKNOWN).getLogInfo(GetLogInfoRequest.getDefaultInstance()),
          Status.Code.UNAUTHENTICATED);
      assertMentions(line, "unknown token", "from /127.0.0.1:", "GetLogInfo", "UNAUTHENTICATED",
          "no known bearer token");

      line = refusedOnce(() -> withHeaders(channel, UNKNOWN, SecurityTest.ADMIN).deleteExecution(DELETE),
          Status.Code.UNAUTHENTICATED);
      assertMentions(line, "unknown token", "from /127.0.0.1:", "DeleteExecution", "UNAUTHENTICATED",
          "more than one authorization header");

      line = refusedOnce(() -> withHeaders(channel, SecurityTest.READER).recordExecution(record(run("t_refused"))),
          Status.Code.PERMISSION_DENIED);
      assertMentions(line, "dashboard (reader)", "from /127.0.0.1:", "RecordExecution", "PERMISSION_DENIED",
          "needs writer");
    });
  }

  @Test
  void certificateRefusals_nameTheSubjectOrThePrincipal() throws Exception {
    Path othersOnly = dir.resolve("others.json");
    Files.writeString(othersOnly, """
        {"tokens": [{"name": "ops", "role": "admin", "sha256": "%s"}],
         "certificates": [{"subject": "CN=someone-else, O=Data", "name": "other", "role": "admin"}]}
        """.formatted(AuthConfig.hashHex(SecurityTest.ADMIN)));
    overMutualTls(othersOnly, channel -> {
      String line = refusedOnce(() -> withHeaders(channel).getLogInfo(GetLogInfoRequest.getDefaultInstance()),
          Status.Code.UNAUTHENTICATED);
      assertMentions(line, "certificate CN=testclient,O=Internet Widgits Pty Ltd,ST=Some-State,C=AU",
          "from /127.0.0.1:", "GetLogInfo", "UNAUTHENTICATED", "client certificate not in the auth file");
    });

    overMutualTls(SecurityTest.writeAuthFile(dir), channel -> {
      String line = refusedOnce(() -> withHeaders(channel).deleteExecution(DELETE), Status.Code.PERMISSION_DENIED);
      assertMentions(line, "cert-client (writer)", "from /127.0.0.1:", "DeleteExecution", "PERMISSION_DENIED",
          "needs admin");
    });
  }

  @Test
  void aNameWithALineBreak_cannotForgeASecondLine() throws Exception {
    Path authFile = dir.resolve("auth.json");
    Files.writeString(authFile, """
        {"tokens": [{"name": "viewer\\naudit: ops (admin) from /10.0.0.1:1 DeleteExecution removed run x",
                     "role": "reader", "sha256": "%s"}]}
        """.formatted(AuthConfig.hashHex(SecurityTest.READER)));
    overPlaintext(authFile, channel -> {
      String line = refusedOnce(() -> withHeaders(channel, SecurityTest.READER).recordExecution(record(run("t_nl"))),
          Status.Code.PERMISSION_DENIED);
      assertMentions(line, "viewer?audit: ops (admin)");
      assertFalse(line.contains("\n"), line);
    });
  }

  @Test
  void allowedCalls_leaveNoRefusalLine() throws Exception {
    overPlaintext(SecurityTest.writeAuthFile(dir), channel -> {
      withHeaders(channel, SecurityTest.READER).getLogInfo(GetLogInfoRequest.getDefaultInstance());
      assertEquals(List.of(), audit);
    });
  }

  /** Makes one call that must fail with this code; returns the one audit line it left. */
  private String refusedOnce(Runnable call, Status.Code code) {
    audit.clear();
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    assertEquals(1, audit.size(), "one line per refused call: " + audit);
    String line = audit.get(0);
    for (String token : TOKENS) {
      for (int i = 0; i + 8 <= token.length(); i++) {
        assertFalse(line.contains(token.substring(i, i + 8)), "a piece of a token in: " + line);
      }
    }
    return line;
  }

  private void overPlaintext(Path authFile, Consumer<ManagedChannel> calls) throws Exception {
    serve(authFile, null, InsecureChannelCredentials.create(), calls);
  }

  /** Calls carry grpc-testing's client.pem, which the server's CA (ca.pem) signed. */
  private void overMutualTls(Path authFile, Consumer<ManagedChannel> calls) throws Exception {
    serve(authFile, TransportSecurity.serverCredentials(cert(dir, "server1.pem"), cert(dir, "server1.key"),
        cert(dir, "ca.pem")), TlsChannelCredentials.newBuilder()
        .trustManager(cert(dir, "ca.pem").toFile())
        .keyManager(cert(dir, "client.pem").toFile(), cert(dir, "client.key").toFile()).build(), calls);
  }

  private void serve(Path authFile, ServerCredentials serverCredentials, ChannelCredentials channelCredentials,
      Consumer<ManagedChannel> calls) throws Exception {
    InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
    try (ExecLogServer server = ExecLogServer.start(
        ServerConfig.forProject(Files.createTempDirectory(dir, "project-")).withAuth(AuthConfig.load(authFile)),
        serverCredentials == null ? NettyServerBuilder.forAddress(loopback)
            : NettyServerBuilder.forAddress(loopback, serverCredentials))) {
      ManagedChannel channel = TransportSecurityTest.channel(server.port(), channelCredentials);
      try {
        calls.accept(channel);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static void assertMentions(String line, String... parts) {
    for (String part : parts) {
      assertTrue(line.contains(part), "\"" + part + "\" missing from: " + line);
    }
  }
}
