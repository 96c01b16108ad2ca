package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.server.security.AuthConfig;
import dev.execlog.v1.DeleteExecutionRequest;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub;
import dev.execlog.v1.GetLogInfoRequest;
import io.grpc.CallCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bearer tokens and roles over a real in-process server: refused calls change nothing. */
class SecurityTest {

  static final String READER = "reader-token-0123456789";
  static final String WRITER = "writer-token-0123456789";
  static final String ADMIN = "admin-token-0123456789";

  private Path root;
  private ExecLogServer server;
  private ManagedChannel channel;
  private ExecutorService executor;
  @RegisterExtension
  final AuditLines auditLines = new AuditLines();

  static Path writeAuthFile(Path dir) throws Exception {
    Path file = dir.resolve("auth.json");
    Files.writeString(file, """
        {"tokens": [
          {"name": "dashboard", "role": "reader", "sha256": "%s"},
          {"name": "ci-runner", "role": "writer", "sha256": "%s"},
          {"name": "ops", "role": "admin", "sha256": "%s"}],
         "certificates": [{"subject": "CN=testclient, O=Internet Widgits Pty Ltd, ST=Some-State, C=AU",
           "name": "cert-client", "role": "writer"}]}
        """.formatted(AuthConfig.hashHex(READER), AuthConfig.hashHex(WRITER), AuthConfig.hashHex(ADMIN)));
    return file;
  }

  @BeforeEach
  void start() throws Exception {
    root = Files.createTempDirectory("execlog-auth-");
    String name = InProcessServerBuilder.generateName();
    executor = Executors.newFixedThreadPool(4);
    server = ExecLogServer.start(ServerConfig.forProject(root).withAuth(AuthConfig.load(writeAuthFile(root))),
        InProcessServerBuilder.forName(name).executor(executor));
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.close();
    executor.shutdownNow();
  }

  static CallCredentials bearer(String token) {
    return new CallCredentials() {
      @Override
      public void applyRequestMetadata(RequestInfo info, Executor appExecutor, MetadataApplier applier) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        applier.apply(headers);
      }
    };
  }

  private ExecutionLogServiceBlockingStub as(String token) {
    ExecutionLogServiceBlockingStub stub = ExecutionLogServiceGrpc.newBlockingStub(channel);
    return token == null ? stub : stub.withCallCredentials(bearer(token));
  }

  private Status.Code codeOf(Runnable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
    return e.getStatus().getCode();
  }

  @Test
  void missingOrUnknownToken_isUnauthenticated() {
    assertEquals(Status.Code.UNAUTHENTICATED, codeOf(() -> as(null).getLogInfo(GetLogInfoRequest.getDefaultInstance())));
    assertEquals(Status.Code.UNAUTHENTICATED,
        codeOf(() -> as("not-a-token").getLogInfo(GetLogInfoRequest.getDefaultInstance())));
  }

  @Test
  void refusals_carryTheirReasonAndTheRolesInvolved() {
    ErrorDetails.assertReason(assertThrows(StatusRuntimeException.class,
            () -> as("not-a-token").getLogInfo(GetLogInfoRequest.getDefaultInstance())),
        Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED", Map.of());
    ErrorDetails.assertReason(assertThrows(StatusRuntimeException.class,
            () -> as(READER).recordExecution(record(run("t_r")))),
        Status.Code.PERMISSION_DENIED, "ROLE_TOO_LOW", Map.of("role", "reader", "required", "writer"));
  }

  @Test
  void rolesAllowTheirCallsAndRefuseOthersLeavingTheLogUntouched() throws Exception {
    assertEquals(0, as(READER).getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount());
    server.store().flush();
    byte[] before = Files.readAllBytes(Path.of(server.store().info().location()));
    assertEquals(Status.Code.PERMISSION_DENIED, codeOf(() -> as(READER).recordExecution(record(run("t_r")))));
    server.store().flush();
    assertArrayEquals(before, Files.readAllBytes(Path.of(server.store().info().location())));

    String id = as(WRITER).recordExecution(record(run("t_w"))).getExecution().getRunId();
    assertEquals(Status.Code.PERMISSION_DENIED, codeOf(() -> as(WRITER).deleteExecution(
        DeleteExecutionRequest.newBuilder().setRunId(id).build())));
    assertEquals(1, as(READER).getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount());
    as(ADMIN).deleteExecution(DeleteExecutionRequest.newBuilder().setRunId(id).build());
    assertEquals(0, as(ADMIN).getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount());
  }

  @Test
  void permissionDenied_namesTheCallerRoleAndTheNeededRole() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> as(READER).recordExecution(record(run("t_r"))));
    assertEquals("dashboard has role reader; RecordExecution needs writer", e.getStatus().getDescription());
  }

  @Test
  void healthCheck_staysOpenWithoutAToken() {
    HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());
    assertEquals(HealthCheckResponse.ServingStatus.SERVING, health.getStatus());
  }

  @Test
  void auditTrail_namesWhoAndWhichRunButNeverTheToken() {
    String id = as(WRITER).recordExecution(record(run("t_a"))).getExecution().getRunId();
    as(ADMIN).deleteExecution(DeleteExecutionRequest.newBuilder().setRunId(id).build());
    assertThrows(StatusRuntimeException.class, () -> as(READER).recordExecution(record(run("t_r"))));
    List<String> audit = auditLines.lines();
    assertTrue(audit.stream().anyMatch(l -> l.contains("ci-runner") && l.contains("recorded run " + id)), audit.toString());
    assertTrue(audit.stream().anyMatch(l -> l.contains("ops") && l.contains("removed run " + id)), audit.toString());
    assertFalse(audit.stream().anyMatch(l -> l.contains(WRITER) || l.contains(ADMIN) || l.contains(READER)));
  }
}
