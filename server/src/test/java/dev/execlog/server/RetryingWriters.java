package dev.execlog.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.v1.Execution;
import dev.execlog.v1.RecordExecutionRequest;
import dev.execlog.v1.RecordExecutionResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writers that record runs through servers that may fail under them, retrying each run with its own
 * id until it is acknowledged, as a client with retries does. They keep every acknowledged run and
 * check that only a retry ever finds its run already stored (a lost answer), never a first try.
 */
public final class RetryingWriters {

  /** Records one request for a writer; {@code failures} is how many calls of that writer have failed so far. */
  public interface Target {
    RecordExecutionResponse record(int writer, int failures, RecordExecutionRequest request);
  }

  /** The run a writer records as its {@code index}th. */
  public interface RunSource {
    Execution.Builder run(int writer, int index);
  }

  private final int total;
  private final Map<String, Execution> acknowledged = new ConcurrentHashMap<>();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger answeredByRetry = new AtomicInteger();
  private final ExecutorService threads;
  private final List<Future<?>> done = new ArrayList<>();

  /**
   * Starts {@code writers} threads of {@code runsPerWriter} runs each, pausing {@code paceMs} after
   * each acknowledged run; a failed call must end with one of {@code retried}, and is tried again
   * 50 ms later.
   */
  public RetryingWriters(int writers, int runsPerWriter, long paceMs, Set<Status.Code> retried, RunSource runs,
      Target target) {
    this.total = writers * runsPerWriter;
    this.threads = Executors.newFixedThreadPool(writers);
    for (int w = 0; w < writers; w++) {
      int me = w;
      done.add(threads.submit(() -> {
        int failed = 0;
        for (int i = 0; i < runsPerWriter; i++) {
          RecordExecutionRequest request = RecordExecutionRequest.newBuilder().setExecution(runs.run(me, i)).build();
          boolean retry = false;
          while (true) {
            try {
              RecordExecutionResponse r = target.record(me, failed, request);
              if (r.getAlreadyRecorded()) {
                assertTrue(retry, "only a retry finds its run stored");
                answeredByRetry.incrementAndGet();
              }
              acknowledged.put(r.getExecution().getRunId(), r.getExecution());
              Thread.sleep(paceMs);
              break;
            } catch (StatusRuntimeException e) {
              assertTrue(retried.contains(e.getStatus().getCode()), e.getStatus().toString());
              failures.incrementAndGet();
              failed++;
              retry = true;
              Thread.sleep(50);
            }
          }
        }
        return null;
      }));
    }
  }

  /** Waits until {@code count} runs are acknowledged; a writer that failed meanwhile fails the caller. */
  public void awaitAcknowledged(int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (acknowledged.size() < count) {
      for (Future<?> f : done) {
        if (f.isDone()) {
          f.get();
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("only " + acknowledged.size() + " runs acknowledged");
      }
      Thread.sleep(10);
    }
  }

  /** Waits for every writer to record every run. */
  public void finish(long timeout, TimeUnit unit) throws Exception {
    for (Future<?> f : done) {
      f.get(timeout, unit);
    }
    threads.shutdown();
  }

  public int total() {
    return total;
  }

  public Map<String, Execution> acknowledged() {
    return acknowledged;
  }

  /** Calls that failed and were tried again. */
  public int failures() {
    return failures.get();
  }

  /** Retries answered with the run a lost answer had stored. */
  public int answeredByRetry() {
    return answeredByRetry.get();
  }
}
