package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.server.security.AuthConfig;
import dev.execlog.v1.DeleteExecutionRequest;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub;
import dev.execlog.v1.GetLogInfoRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A request may carry one authorization header only: with two, which one counts would be up to the
 * server, so an attacker could pair a token it holds with one it guessed. Over real HTTP/2 on loopback.
 */
class AuthorizationHeaderTest {

  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private ExecLogServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    var root = Files.createTempDirectory("execlog-headers-");
    server = ExecLogServer.start(
        ServerConfig.forProject(root).withAuth(AuthConfig.load(SecurityTest.writeAuthFile(root))),
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)));
    channel = Grpc.newChannelBuilder("127.0.0.1:" + server.port(), InsecureChannelCredentials.create()).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.close();
  }

  /** A stub whose calls carry these authorization header values, in this order. */
  static ExecutionLogServiceBlockingStub withHeaders(ManagedChannel channel, String... tokens) {
    Metadata headers = new Metadata();
    for (String token : tokens) {
      headers.put(AUTHORIZATION, "Bearer " + token);
    }
    return ExecutionLogServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "{0} then {1}")
  @CsvSource({
      "not-a-token-at-all, " + SecurityTest.ADMIN,
      SecurityTest.READER + ", " + SecurityTest.ADMIN,
      SecurityTest.ADMIN + ", " + SecurityTest.ADMIN,
      SecurityTest.ADMIN + ", " + SecurityTest.READER})
  void twoAuthorizationHeaders_areUnauthenticatedWhateverTheTokens(String first, String second) {
    String id = withHeaders(channel, SecurityTest.ADMIN).recordExecution(record(run("t_two")))
        .getExecution().getRunId();

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> withHeaders(channel, first, second)
        .deleteExecution(DeleteExecutionRequest.newBuilder().setRunId(id).build()));

    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("more than one authorization header"), e.getStatus().toString());
    assertEquals(1, withHeaders(channel, SecurityTest.ADMIN).getLogInfo(GetLogInfoRequest.getDefaultInstance())
        .getExecutionCount(), "the refused delete changed nothing");
  }

  @Test
  void twoHeadersAreRefusedEvenForAReadThatEitherTokenAlonePasses() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> withHeaders(channel,
        SecurityTest.READER, SecurityTest.WRITER).getLogInfo(GetLogInfoRequest.getDefaultInstance()));
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
    assertEquals(0, withHeaders(channel, SecurityTest.READER).getLogInfo(GetLogInfoRequest.getDefaultInstance())
        .getExecutionCount());
  }
}
