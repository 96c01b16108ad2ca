package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.store.LogFileLock;
import dev.execlog.v1.GetLogInfoRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * When the server cannot keep its files as they must be, it says so: writes are refused with a
 * message, reads go on, and gRPC health reports NOT_SERVING until the files are right again.
 */
@JsonFileOnly
class StoreReadinessTest {

  private static final String CHECK_INTERVAL = "execlog.check-interval-ms";

  @BeforeAll
  static void checkOften() {
    System.setProperty(CHECK_INTERVAL, "50");
  }

  @AfterAll
  static void checkAsUsual() {
    System.clearProperty(CHECK_INTERVAL);
  }

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  @Test
  void lockFileRecreatedAndTakenByAnotherProgram_refusesWritesAndIsNotServing() throws Exception {
    recordRuns(3);
    Path lockFile = Path.of(server.logFile() + ".lock");
    try (LogFileLock outsider = takeAfterDeleting(lockFile)) {
      assertEquals(ServingStatus.NOT_SERVING, awaitHealth(ServingStatus.NOT_SERVING));
      StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> recordRuns(1));
      assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
      assertTrue(refused.getStatus().getDescription().contains(lockFile.toString()), refused.getStatus().toString());
      assertEquals(3, server.stub().getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount(),
          "reads go on");
    }
    server.restart();
    assertEquals(3, server.stub().getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount(),
        "a restart once the other program is gone has every acknowledged run");
  }

  @Test
  void logDirectoryReplacedByAFile_refusesWritesUntilItCanBeRepaired() throws Exception {
    recordRuns(3);
    Path dir = server.logFile().getParent();
    Directories.deleteTree(dir);
    Files.writeString(dir, "in the way");
    assertEquals(ServingStatus.NOT_SERVING, awaitHealth(ServingStatus.NOT_SERVING));
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> recordRuns(1));
    assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode(), refused.getStatus().toString());

    Files.delete(dir);
    assertEquals(ServingStatus.SERVING, awaitHealth(ServingStatus.SERVING), "repaired once the directory can be made");
    assertTrue(Files.isRegularFile(server.logFile()), "the log file is rewritten from memory");
    recordRuns(1);
    server.restart();
    assertEquals(4, server.stub().getLogInfo(GetLogInfoRequest.getDefaultInstance()).getExecutionCount());
  }

  /** Deletes the lock file and takes a new one at its path, as the Python library would. */
  private static LogFileLock takeAfterDeleting(Path lockFile) throws Exception {
    for (int attempt = 0; attempt < 100; attempt++) {
      Files.deleteIfExists(lockFile);
      try {
        return LogFileLock.acquire(lockFile);
      } catch (ExecLogException retakenFirst) {
        Thread.sleep(5);
      }
    }
    throw new AssertionError("could not take " + lockFile + " between the server's checks");
  }

  private ServingStatus awaitHealth(ServingStatus wanted) throws InterruptedException {
    ServingStatus now = null;
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      now = HealthGrpc.newBlockingStub(server.channel()).check(HealthCheckRequest.getDefaultInstance()).getStatus();
      if (now == wanted) {
        break;
      }
      Thread.sleep(20);
    }
    return now;
  }

  private void recordRuns(int runs) {
    for (int i = 0; i < runs; i++) {
      server.stub().recordExecution(record(run("t_ready_" + i)));
    }
  }

}
