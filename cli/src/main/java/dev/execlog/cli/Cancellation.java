package dev.execlog.cli;

import io.grpc.Context;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs calls in a cancellable gRPC context and cancels it from a shutdown hook, so Ctrl-C cancels
 * the call on the server too (a cancelled cleanup or import changes nothing there). The hook then
 * waits briefly for the command to wind down, so the cancellation reaches the wire before the JVM
 * halts. Streams that end on Ctrl-C rather than fail (a watch) register a closer with
 * {@link #onInterrupt}; it runs before the context is cancelled.
 */
final class Cancellation implements AutoCloseable {

  private static final long WIND_DOWN_MILLIS = 3000;

  private final Context.CancellableContext context = Context.current().withCancellation();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook = new Thread(this::interrupted, "execlog-cancel");
  private final List<Runnable> closers = new CopyOnWriteArrayList<>();
  private volatile boolean interrupted;

  Cancellation() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  <T> T call(Supplier<T> body) {
    Context previous = context.attach();
    try {
      return body.get();
    } finally {
      context.detach(previous);
    }
  }

  /** Runs {@code closer} on Ctrl-C, before the call's context is cancelled. */
  void onInterrupt(Runnable closer) {
    closers.add(closer);
  }

  /** Whether Ctrl-C was pressed while the command ran. */
  boolean wasInterrupted() {
    return interrupted;
  }

  private void interrupted() {
    interrupted = true;
    closers.forEach(Runnable::run);
    context.cancel(Status.CANCELLED.withDescription("interrupted (Ctrl-C); the call was cancelled").asRuntimeException());
    try {
      finished.await(WIND_DOWN_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Call after the channel is closed: releases a waiting hook, or removes the hook when none ran. */
  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: it returns now that finished is counted down
    }
    context.cancel(null);
  }
}
