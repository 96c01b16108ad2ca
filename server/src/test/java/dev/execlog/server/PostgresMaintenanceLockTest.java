package dev.execlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.execlog.server.postgres.PostgresSchema;
import dev.execlog.server.postgres.SharedPostgres;
import dev.execlog.v1.CleanupExecutionsRequest;
import dev.execlog.v1.CleanupExecutionsResponse;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.GetLogInfoRequest;
import dev.execlog.v1.ImportMode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On a PostgreSQL store one cleanup or import runs at a time across every server: while another
 * server holds the log's maintenance lock, a cleanup or import is refused with MAINTENANCE_RUNNING
 * and changes nothing, dry runs go on, and the lock goes with its holder's session (a killed server
 * does not block the next cleanup).
 */
class PostgresMaintenanceLockTest {

  /** The lock key PostgresStore takes ("execlog2"). */
  private static final long MAINTENANCE_LOCK = 0x657865636c6f6732L;

  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private Path root;
  private String database;
  private ExecLogServer server;
  private ManagedChannel channel;

  @BeforeEach
  void serverOnADatabase() throws Exception {
    root = Files.createTempDirectory("execlog-maintenance-lock-").toAbsolutePath().normalize();
    database = SharedPostgres.newDatabase("maintenance_lock");
    try (HikariDataSource pool = SharedPostgres.pool(database, 2)) {
      new PostgresSchema(pool, database).migrate(root);
    }
    String name = InProcessServerBuilder.generateName();
    server = ExecLogServer.start(ServerConfig.forProject(root).withPostgres(SharedPostgres.location(database), 4),
        InProcessServerBuilder.forName(name).executor(executor));
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.close();
    executor.shutdownNow();
    try (var files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub stub() {
    return ExecutionLogServiceGrpc.newBlockingStub(channel);
  }

  private List<CleanupExecutionsResponse> cleanup(boolean dryRun) {
    List<CleanupExecutionsResponse> all = new ArrayList<>();
    stub().cleanupExecutions(CleanupExecutionsRequest.newBuilder().setMaxAgeDays(0).setMaxRunsPerTask(1)
        .setDryRun(dryRun).build()).forEachRemaining(all::add);
    return all;
  }

  @Test
  void cleanupAndImportWhileAnotherServerHoldsTheLock_areRefusedAndChangeNothing() throws Exception {
    for (int i = 0; i < 3; i++) {
      stub().recordExecution(Runs.record(Runs.run("t_a").setRunId(UUID.randomUUID().toString())));
    }
    try (HikariDataSource other = SharedPostgres.pool(database, 2); Connection session = other.getConnection()) {
      try (PreparedStatement s = session.prepareStatement("SELECT pg_advisory_lock(?)")) {
        s.setLong(1, MAINTENANCE_LOCK);
        s.execute();
      }
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> cleanup(false));
      ErrorDetails.assertReason(refused, Status.Code.FAILED_PRECONDITION, "MAINTENANCE_RUNNING", Map.of());
      assertTrue(refused.getStatus().getDescription().contains("another cleanup or import is running"),
          refused.getStatus().getDescription());
      StatusRuntimeException importRefused = assertThrows(StatusRuntimeException.class, () -> StreamCalls.importLog(
          ExecutionLogServiceGrpc.newStub(channel), "{\"tasks\": {}, \"executions\": []}", ImportMode.IMPORT_MODE_REPLACE));
      ErrorDetails.assertReason(importRefused, Status.Code.FAILED_PRECONDITION, "MAINTENANCE_RUNNING", Map.of());
      assertEquals(2, cleanup(true).get(cleanup(true).size() - 1).getResult().getRemovedCount(),
          "a dry run does not need the lock");
      assertEquals(3, stub().getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount());
    } // the other server's session ends, as when it dies: its lock goes with it
    List<CleanupExecutionsResponse> done = cleanup(false);
    assertEquals(2, done.get(done.size() - 1).getResult().getRemovedCount());
    assertEquals(1, stub().getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount());
  }
}
