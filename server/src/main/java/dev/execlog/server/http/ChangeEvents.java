package dev.execlog.server.http;

import com.sun.net.httpserver.HttpExchange;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.WatchExecutionsRequest;
import dev.execlog.v1.WatchExecutionsResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/executions:watch}: the change stream as server-sent events, for browsers'
 * EventSource. Each change is an event {@code change} whose id is {@code <feed_id>.<sequence>}, so
 * a browser that reconnects sends it back as {@code Last-Event-ID} and the watch resumes after it
 * with nothing missed while the server still holds those changes; the first event, {@code started},
 * says whether it did ({@code "resumed": true}) or that the page must reload what it missed. A
 * reader too slow for the feed gets an {@code error} event with {@code WATCH_LAGGED}, as gRPC
 * watchers do. A comment every 15 s keeps proxies from closing an idle stream and finds clients
 * that left.
 */
final class ChangeEvents {

  private static final long KEEP_ALIVE_SECONDS = 15;

  private final ScheduledExecutorService keepAlive;
  private final Semaphore streams;

  /** @param maxStreams event streams open at once; more get 503 */
  ChangeEvents(ScheduledExecutorService keepAlive, int maxStreams) {
    this.keepAlive = keepAlive;
    this.streams = new Semaphore(maxStreams);
  }

  /** The watch request: the query's filters, and the resume point from Last-Event-ID. */
  static WatchExecutionsRequest request(WatchExecutionsRequest.Builder filters, String lastEventId) {
    if (lastEventId != null) {
      int dot = lastEventId.lastIndexOf('.');
      if (dot > 0) {
        try {
          filters.setFeedId(lastEventId.substring(0, dot))
              .setAfterSequence(Long.parseLong(lastEventId.substring(dot + 1)));
        } catch (NumberFormatException notOurs) {
          // an id this server did not send: start now, and `started` says it did not resume
        }
      }
    }
    return filters.build();
  }

  /**
   * Streams the watch of {@code filters} (resumed after the request's Last-Event-ID) on {@code
   * channel} until the client leaves, the server stops, or the reader lags.
   */
  void stream(HttpExchange exchange, WatchExecutionsRequest filters, Channel channel) throws IOException {
    WatchExecutionsRequest request = request(filters.toBuilder(),
        exchange.getRequestHeaders().getFirst("Last-Event-ID"));
    if (!streams.tryAcquire()) {
      JsonTranscoder.sendError(exchange, Status.UNAVAILABLE
          .withDescription("too many open event streams; try again later").asRuntimeException());
      return;
    }
    Context.CancellableContext call = Context.current().withCancellation();
    ScheduledFuture<?> pings = null;
    try {
      Iterator<WatchExecutionsResponse> events = call.call(() -> ClientCalls.blockingServerStreamingCall(
          channel, ExecutionLogServiceGrpc.getWatchExecutionsMethod(), CallOptions.DEFAULT, request));
      WatchExecutionsResponse first = call.call(events::next); // a refused watch is still an HTTP error
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      String feedId = first.getStarted().getFeedId();
      send(out, null, "started", JsonTranscoder.LINE.print(first.getStarted()));
      pings = keepAlive.scheduleAtFixedRate(() -> {
        try {
          synchronized (out) {
            out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
          }
        } catch (IOException gone) {
          call.cancel(gone);
        }
      }, KEEP_ALIVE_SECONDS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
      try {
        while (call.call(events::hasNext)) {
          WatchExecutionsResponse m = events.next();
          if (m.hasChange()) {
            send(out, feedId + "." + m.getChange().getSequence(), "change", JsonTranscoder.LINE.print(m.getChange()));
          }
        }
      } catch (StatusRuntimeException ended) {
        if (!call.isCancelled()) {
          send(out, null, "error", HttpErrors.line(ended));
        }
      }
      out.close();
    } catch (StatusRuntimeException refused) {
      JsonTranscoder.sendError(exchange, refused);
    } catch (IOException gone) {
      // the client left
    } catch (Exception e) {
      throw new IOException(e);
    } finally {
      if (pings != null) {
        pings.cancel(false);
      }
      call.cancel(null);
      streams.release();
    }
  }

  private static void send(OutputStream out, String id, String event, String json) throws IOException {
    StringBuilder s = new StringBuilder();
    if (id != null) {
      s.append("id: ").append(id).append('\n');
    }
    s.append("event: ").append(event).append('\n').append("data: ").append(json).append("\n\n");
    synchronized (out) {
      out.write(s.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }
}
