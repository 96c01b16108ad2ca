package dev.execlog.cli;

import io.grpc.Context;
import io.grpc.Status;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs calls in a cancellable gRPC context and cancels it on Ctrl-C, so the server stops the call
 * too (a cleanup or import cancelled before its commit changes nothing there).
 *
 * <p>Ctrl-C is taken as a signal rather than left to the JVM's shutdown, because what it should do
 * depends on where the call is: once the server has reported a commit ({@link #committed}) the
 * change stands, so the first Ctrl-C only says so and lets the rest of the answer (the removed
 * ids, the result) arrive; a second one leaves without it. Before a commit, Ctrl-C cancels at once.
 * If the command has not wound down a few seconds after a cancel, the process exits anyway.
 * SIGTERM still goes through a shutdown hook that cancels the call before the JVM halts. Streams
 * that end on Ctrl-C rather than fail (a watch) register a closer with {@link #onInterrupt}; it
 * runs before the context is cancelled.
 */
final class Cancellation implements AutoCloseable {

  private static final long WIND_DOWN_MILLIS = 3000;
  private static final Signal INT = new Signal("INT");

  private final PrintWriter err;
  private final Context.CancellableContext context = Context.current().withCancellation();
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook = new Thread(this::cancel, "execlog-cancel");
  private final List<Runnable> closers = new CopyOnWriteArrayList<>();
  private final AtomicInteger ctrlCs = new AtomicInteger();
  private final SignalHandler previousCtrlC;
  private volatile boolean interrupted;
  private volatile String committedChange;

  Cancellation(PrintWriter err) {
    this.err = err;
    Runtime.getRuntime().addShutdownHook(hook);
    previousCtrlC = takeCtrlC(this::ctrlC);
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

  /**
   * Notes that the server reported the running call's change as durable, in words such as "the
   * cleanup removed 12 runs": from now on Ctrl-C no longer cancels at the first press.
   */
  void committed(String change) {
    committedChange = change;
  }

  /** What the server committed during this command, or null. */
  String committedChange() {
    return committedChange;
  }

  /** Whether Ctrl-C was pressed (or SIGTERM received) while the command ran. */
  boolean wasInterrupted() {
    return interrupted;
  }

  private void ctrlC(Signal signal) {
    String change = committedChange;
    if (ctrlCs.incrementAndGet() == 1 && change != null) {
      err.println("execlog: interrupted after the server committed: " + change
          + ". Waiting for the rest of its answer; Ctrl-C again to stop waiting.");
      err.flush();
      return;
    }
    cancel();
    if (finished.getCount() > 0) {
      // A command blocked outside the call (a pipe, a child process) must not keep the shell waiting.
      Runtime.getRuntime().halt(ExitCode.INTERRUPTED.code());
    }
  }

  /** Closes the streams registered for Ctrl-C, cancels the call and waits briefly for the command to end. */
  private void cancel() {
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
    if (previousCtrlC != null) {
      takeCtrlC(previousCtrlC);
    }
    context.cancel(null);
  }

  /** Installs a Ctrl-C handler; returns the one it replaced, or null when the JVM keeps SIGINT (-Xrs). */
  private static SignalHandler takeCtrlC(SignalHandler handler) {
    try {
      return Signal.handle(INT, handler);
    } catch (IllegalArgumentException reservedByTheJvm) {
      return null;
    }
  }
}
