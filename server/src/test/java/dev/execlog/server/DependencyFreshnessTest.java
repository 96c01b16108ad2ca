package dev.execlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.execlog.v1.CheckDependenciesRequest;
import dev.execlog.v1.CheckDependenciesResponse;
import dev.execlog.v1.DependencyState;
import dev.execlog.v1.DependencyStatus;
import dev.execlog.v1.Execution;
import dev.execlog.v1.OutputFile;
import dev.execlog.v1.RecordExecutionRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** CheckDependencies with max_age, newer_than and require_outputs_exist. */
class DependencyFreshnessTest {

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  /** Records a run {@code secondsAgo} before now. */
  private String run(String task, long secondsAgo, boolean success, String... outputs) {
    Execution.Builder b = Runs.run(task).setSuccess(success)
        .setRecordTime(Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000 - secondsAgo));
    for (String o : outputs) {
      b.addOutputFiles(OutputFile.newBuilder().setPath(o));
    }
    return server.stub().recordExecution(RecordExecutionRequest.newBuilder().setExecution(b).build())
        .getExecution().getRunId();
  }

  private DependencyStatus check(CheckDependenciesRequest.Builder b) {
    CheckDependenciesResponse r = server.stub().checkDependencies(b.build());
    assertEquals(r.getDependencies(0).getState() == DependencyState.DEPENDENCY_STATE_SATISFIED, r.getSatisfied());
    return r.getDependencies(0);
  }

  private static CheckDependenciesRequest.Builder on(String task) {
    return CheckDependenciesRequest.newBuilder().addTaskIds(task);
  }

  @Test
  void checkDependencies_maxAge_staleWhenOlder() {
    run("A", 7200, true);
    assertEquals(DependencyState.DEPENDENCY_STATE_STALE,
        check(on("A").setMaxAge(Duration.newBuilder().setSeconds(3600))).getState());
    assertEquals(DependencyState.DEPENDENCY_STATE_SATISFIED,
        check(on("A").setMaxAge(Duration.newBuilder().setSeconds(3 * 3600))).getState());
  }

  @Test
  void checkDependencies_newerThanMyLastRun_staleUntilTheDependencyRunsAgain() {
    run("A", 300, true);
    assertEquals(DependencyState.DEPENDENCY_STATE_SATISFIED,
        check(on("A").setNewerThanTaskId("ME")).getState(), "I have never run: nothing to compare with");
    run("ME", 200, false); // my own last run counts even when it failed
    DependencyStatus stale = check(on("A").setNewerThanTaskId("ME"));
    assertEquals(DependencyState.DEPENDENCY_STATE_STALE, stale.getState());
    assertTrue(stale.getMessage().contains("ME"), stale.getMessage());
    run("A", 100, true);
    assertEquals(DependencyState.DEPENDENCY_STATE_SATISFIED, check(on("A").setNewerThanTaskId("ME")).getState());
  }

  @Test
  void checkDependencies_newerThanRun_comparesWithThatRun() {
    String old = run("ME", 500, true);
    run("A", 300, true);
    String recent = run("ME", 100, true);
    assertEquals(DependencyState.DEPENDENCY_STATE_SATISFIED, check(on("A").setNewerThanRunId(old)).getState());
    assertEquals(DependencyState.DEPENDENCY_STATE_STALE, check(on("A").setNewerThanRunId(recent)).getState());
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> check(on("A").setNewerThanRunId("00000000-0000-0000-0000-000000000000")));
    assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().startsWith("newer_than_run_id"));
  }

  @Test
  void checkDependencies_requireOutputsExist_missingThenPresentOnDisk() throws Exception {
    run("A", 60, true, "DATA/out/a.csv", "DATA/out/b.csv");
    DependencyStatus missing = check(on("A").setRequireOutputsExist(true));
    assertEquals(DependencyState.DEPENDENCY_STATE_OUTPUTS_MISSING, missing.getState());
    assertEquals(List.of("DATA/out/a.csv", "DATA/out/b.csv"), missing.getMissingOutputPathsList());

    Path dir = Files.createDirectories(server.root().resolve("DATA/out"));
    Files.writeString(dir.resolve("a.csv"), "x");
    assertEquals(List.of("DATA/out/b.csv"), check(on("A").setRequireOutputsExist(true)).getMissingOutputPathsList());
    Files.writeString(dir.resolve("b.csv"), "x");
    DependencyStatus ok = check(on("A").setRequireOutputsExist(true));
    assertEquals(DependencyState.DEPENDENCY_STATE_SATISFIED, ok.getState());
    assertEquals(0, ok.getMissingOutputPathsCount());
    assertEquals(DependencyState.DEPENDENCY_STATE_SATISFIED, check(on("A")).getState(), "not asked: not looked at");
  }

  @Test
  void checkDependencies_requireLatestSuccess_stillFailsAfterAFailedRun() {
    run("A", 300, true);
    run("A", 100, false);
    assertEquals(DependencyState.DEPENDENCY_STATE_SATISFIED, check(on("A")).getState());
    DependencyStatus failed = check(on("A").setRequireLatestSuccess(true).setRequireOutputsExist(true));
    assertEquals(DependencyState.DEPENDENCY_STATE_FAILED, failed.getState());
    assertFalse(failed.getMessage().isEmpty());
  }
}
