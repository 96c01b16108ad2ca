package dev.execlog.server.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.server.AuditLines;
import dev.execlog.server.security.AuditInterceptor;
import dev.execlog.server.security.OpenAccessInterceptor;
import dev.execlog.v1.CleanupExecutionsRequest;
import dev.execlog.v1.CleanupExecutionsResponse;
import dev.execlog.v1.CleanupResult;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.Progress;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A long operation that commits after its caller has gone cannot answer, yet its change must reach
 * the audit. A handler here commits only once the client has cancelled, so the path is taken every
 * time rather than when a race happens to go that way.
 */
class UndeliveredResultAuditTest {

  @RegisterExtension
  final AuditLines audit = new AuditLines();

  private final CountDownLatch callerGone = new CountDownLatch(1);
  private Server server;
  private ManagedChannel channel;

  /** A cleanup that says it started, waits for its caller to leave, then "commits" three removals. */
  private final class CommitsAfterTheCallerLeft extends ExecutionLogServiceGrpc.ExecutionLogServiceImplBase {
    @Override
    public void cleanupExecutions(CleanupExecutionsRequest request, StreamObserver<CleanupExecutionsResponse> out) {
      ServerCallStreamObserver<CleanupExecutionsResponse> stream = StreamResults.serverStream(out);
      // Told by the call's context, not setOnCancelHandler: that runs on this call's executor, which this
      // handler holds while it waits.
      Context.current().addListener(context -> callerGone.countDown(), Runnable::run);
      stream.onNext(CleanupExecutionsResponse.newBuilder()
          .setProgress(Progress.newBuilder().setStage("scan").setMessage("started")).build());
      StreamResults.finish(stream, () -> {
        awaitCallerGone();
        return CleanupExecutionsResponse.newBuilder().setResult(CleanupResult.newBuilder()
            .setRemovedCount(3).addAllRemovedRunIds(List.of("run-a", "run-b", "run-c"))).build();
      });
    }
  }

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name)
        .addService(ServerInterceptors.intercept(new CommitsAfterTheCallerLeft(),
            new AuditInterceptor(), new OpenAccessInterceptor()))
        .build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void aChangeCommittedAfterTheCallerLeftIsAuditedAsUntold() throws Exception {
    Context.CancellableContext call = Context.current().withCancellation();
    Context previous = call.attach();
    try {
      Iterator<CleanupExecutionsResponse> it = ExecutionLogServiceGrpc.newBlockingStub(channel)
          .cleanupExecutions(CleanupExecutionsRequest.getDefaultInstance());
      assertEquals("started", it.next().getProgress().getMessage());
    } finally {
      call.detach(previous);
      call.cancel(null);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (audit.lines().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(1, audit.lines().size(), audit.lines().toString());
    String line = audit.lines().get(0);
    assertTrue(line.contains("CleanupExecutions cleanup removed 3 runs [run-a, run-b, run-c]"), line);
    assertTrue(line.contains("committed after the caller had gone; it was not told"), line);
  }

  private void awaitCallerGone() {
    try {
      assertTrue(callerGone.await(10, TimeUnit.SECONDS), "the client never cancelled");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
