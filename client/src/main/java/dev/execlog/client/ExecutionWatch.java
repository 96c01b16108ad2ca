package dev.execlog.client;

import dev.execlog.client.model.ExecutionChange;
import dev.execlog.v1.WatchExecutionsResponse;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A running watch: a blocking iterator over the log's changes that ends when {@link #close()} is
 * called (from any thread). A watch has no deadline. When the reader falls behind, the server drops
 * it: the iteration then throws {@link ExecLogClientException} with code RESOURCE_EXHAUSTED, reason
 * {@code WATCH_LAGGED} and metadata {@code last_sequence}, the last change delivered (also
 * {@link #lastDeliveredSequence()}): resume from history after it.
 *
 * <pre>{@code
 * try (ExecutionWatch watch = client.watch(WatchFilter.all())) {
 *   while (watch.hasNext()) {
 *     ExecutionChange c = watch.next();
 *   }
 * }
 * }</pre>
 */
public final class ExecutionWatch implements Iterator<ExecutionChange>, AutoCloseable {

  private final Context.CancellableContext context;
  private final Iterator<WatchExecutionsResponse> responses;
  private final long startSequence;
  private volatile boolean closed;
  private long lastDelivered;
  private ExecutionChange pending;

  ExecutionWatch(Context.CancellableContext context, Iterator<WatchExecutionsResponse> responses) {
    this.context = context;
    this.responses = responses;
    try {
      WatchExecutionsResponse first = responses.next();
      this.startSequence = first.getStarted().getSequence();
      this.lastDelivered = startSequence;
    } catch (StatusRuntimeException e) {
      context.cancel(null);
      throw ExecLogClientException.from(e);
    }
  }

  /** The server's sequence of the last change before the watch began; later changes follow. */
  public long startSequence() {
    return startSequence;
  }

  /** The sequence of the last change this watch received (or {@link #startSequence()}). */
  public long lastDeliveredSequence() {
    return lastDelivered;
  }

  /** Blocks until a change arrives; false once the watch is closed or the server ended it cleanly. */
  @Override
  public boolean hasNext() {
    while (pending == null) {
      WatchExecutionsResponse m;
      try {
        if (closed || !responses.hasNext()) {
          return false;
        }
        m = responses.next();
      } catch (StatusRuntimeException e) {
        if (closed && e.getStatus().getCode() == Status.Code.CANCELLED) {
          return false;
        }
        throw ExecLogClientException.from(e);
      }
      if (m.hasChange()) {
        pending = ClientMapper.change(m.getChange());
        lastDelivered = pending.sequence();
      } else if (m.hasLagged()) {
        lastDelivered = m.getLagged().getLastDeliveredSequence(); // the failing status follows
      }
    }
    return true;
  }

  @Override
  public ExecutionChange next() {
    if (!hasNext()) {
      throw new NoSuchElementException("the watch has ended");
    }
    ExecutionChange c = pending;
    pending = null;
    return c;
  }

  /** Ends the watch; a thread blocked in {@link #hasNext()} returns false. */
  @Override
  public void close() {
    closed = true;
    context.cancel(null);
  }
}
