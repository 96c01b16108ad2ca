package dev.execlog.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.NewRun;
import dev.execlog.client.model.Run;
import dev.execlog.client.model.RunUpdate;
import dev.execlog.server.ExecLogServer;
import dev.execlog.server.ServerConfig;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The retry policy against the real server, with a fault injector in front of it that answers
 * UNAVAILABLE (reason SHUTTING_DOWN, as a stopping server does) to the next calls of one method,
 * either instead of handling them or after handling them (a lost answer), and counts the calls
 * each method got. The real service does everything else.
 */
class RetryPolicyTest {

  /** Fails the next {@code n} calls of a method with UNAVAILABLE, before or after handling them. */
  static final class Faults implements ServerInterceptor {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private volatile String method = "";
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile boolean afterHandling;

    void fail(String newMethod, int times, boolean handleFirst) {
      remaining.set(times);
      afterHandling = handleFirst;
      method = newMethod;
    }

    int calls(String name) {
      return calls.computeIfAbsent(name, k -> new AtomicInteger()).get();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
        ServerCallHandler<Q, R> next) {
      String name = call.getMethodDescriptor().getBareMethodName();
      calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      if (!name.equals(method) || remaining.getAndUpdate(n -> Math.max(0, n - 1)) <= 0) {
        return next.startCall(call, headers);
      }
      com.google.rpc.Status status = com.google.rpc.Status.newBuilder().setCode(Status.Code.UNAVAILABLE.value())
          .setMessage("the server is shutting down; retry against the restarted server")
          .addDetails(Any.pack(ErrorInfo.newBuilder().setDomain("execlog.dev").setReason("SHUTTING_DOWN").build()))
          .build();
      var failure = StatusProto.toStatusRuntimeException(status);
      if (!afterHandling) {
        call.close(failure.getStatus(), failure.getTrailers());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(new SimpleForwardingServerCall<>(call) {
        @Override
        public void sendHeaders(Metadata responseHeaders) {
          // lost with the answer: a client that saw headers would take the call as committed
        }

        @Override
        public void sendMessage(R message) {
          // the answer is lost
        }

        @Override
        public void close(Status s, Metadata trailers) {
          super.close(failure.getStatus(), failure.getTrailers());
        }
      }, headers);
    }
  }

  private final Faults faults = new Faults();
  private ExecLogServer server;
  private ExecutionLogClient client;

  @BeforeEach
  void start() throws Exception {
    Path root = Files.createTempDirectory("execlog-retry-");
    server = ExecLogServer.start(ServerConfig.forProject(root),
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
            .intercept(faults));
    client = ExecutionLogClient.connect("127.0.0.1:" + server.port(), Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void record_answerLostOnce_retriedAndAnsweredWithTheStoredRun() {
    NewRun run = NewRun.builder("t_lost", "test").seconds(1.5).build();
    faults.fail("RecordExecution", 1, true);

    ExecutionLogClient.RecordExecutionOutcome outcome = client.recordWithOutcome(run);

    assertEquals(2, faults.calls("RecordExecution"));
    assertTrue(outcome.alreadyRecorded(), "the retry found the run the lost attempt stored");
    assertEquals(run.runId(), outcome.execution().runId());
    assertEquals(1, client.history(HistoryQuery.task("t_lost"), 10).size());
  }

  @Test
  void record_refusedOnce_retriedAndStoredOnce() {
    faults.fail("RecordExecution", 1, false);

    ExecutionLogClient.RecordExecutionOutcome outcome = client.recordWithOutcome(NewRun.builder("t_once", "test").build());

    assertEquals(2, faults.calls("RecordExecution"));
    assertFalse(outcome.alreadyRecorded());
    assertEquals(1, client.history(HistoryQuery.task("t_once"), 10).size());
  }

  @Test
  void delete_unavailableOnce_notRetriedAndTheReasonSurfaces() {
    Run run = client.record(NewRun.builder("t_delete", "test").build());
    faults.fail("DeleteExecution", 1, false);

    ExecLogClientException e = assertThrows(ExecLogClientException.class, () -> client.delete(run.runId()));

    assertEquals(Status.Code.UNAVAILABLE, e.code());
    assertEquals("SHUTTING_DOWN", e.reason());
    assertEquals(1, faults.calls("DeleteExecution"));
    assertEquals(run.runId(), client.get(run.runId()).runId(), "nothing was deleted");
  }

  @Test
  void read_unavailableEveryTime_fiveAttemptsThenTheLastStatusWithItsReason() {
    faults.fail("GetLogInfo", 100, false);

    ExecLogClientException e = assertThrows(ExecLogClientException.class, client::info);

    assertEquals(Status.Code.UNAVAILABLE, e.code());
    assertEquals("SHUTTING_DOWN", e.reason());
    assertEquals(ServiceConfig.MAX_ATTEMPTS, faults.calls("GetLogInfo"));
  }

  @Test
  void trackAndUpdate_answerLost_retriedWithTheSameResult() {
    Run run = client.record(NewRun.builder("t_track", "test").build());
    faults.fail("TrackOutputFiles", 1, true);
    Run tracked = client.trackOutputs("t_track", List.of("out/a.csv"));
    faults.fail("UpdateExecution", 1, true);
    Run updated = client.update(run.runId(), new RunUpdate().reportPath("reports/r.json"));

    assertEquals(2, faults.calls("TrackOutputFiles"));
    assertEquals(2, faults.calls("UpdateExecution"));
    assertEquals(1, tracked.outputFiles().size(), "the path is listed once");
    assertEquals("reports/r.json", updated.reportPath());
    assertEquals(1, client.get(run.runId()).outputFiles().size());
  }

  @Test
  void cleanupAndWatch_unavailableOnce_notRetried() {
    faults.fail("CleanupExecutions", 1, false);
    ExecLogClientException cleanup = assertThrows(ExecLogClientException.class,
        () -> client.cleanup(1, 1, true, ProgressListener.NONE));
    faults.fail("WatchExecutions", 1, false);
    ExecLogClientException watch = assertThrows(ExecLogClientException.class,
        () -> client.watch(dev.execlog.client.model.WatchFilter.all()));

    assertEquals(Status.Code.UNAVAILABLE, cleanup.code());
    assertEquals(Status.Code.UNAVAILABLE, watch.code());
    assertEquals(1, faults.calls("CleanupExecutions"));
    assertEquals(1, faults.calls("WatchExecutions"));
  }
}
