package dev.execlog.server.grpc;

import com.google.protobuf.ByteString;
import dev.execlog.server.model.ExecLogException;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * An output stream that sends what is written as chunk messages of at most 64 KiB, waiting while
 * the client is not ready for more (flow control), so an export of any size uses bounded memory.
 */
final class ChunkedOutputStream<R> extends OutputStream {

  static final int CHUNK_SIZE = 64 * 1024;

  private final ServerCallStreamObserver<R> stream;
  private final Function<ByteString, R> wrap;
  private final byte[] buffer = new byte[CHUNK_SIZE];
  private final MessageDigest digest;
  private final Object readiness = new Object();
  private int used;
  private long sent;

  ChunkedOutputStream(ServerCallStreamObserver<R> stream, Function<ByteString, R> wrap) {
    this.stream = stream;
    this.wrap = wrap;
    stream.setOnReadyHandler(() -> {
      synchronized (readiness) {
        readiness.notifyAll();
      }
    });
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public void write(int b) {
    if (used == buffer.length) {
      sendBuffer();
    }
    buffer[used++] = (byte) b;
  }

  @Override
  public void write(byte[] b, int off, int len) {
    while (len > 0) {
      if (used == buffer.length) {
        sendBuffer();
      }
      int n = Math.min(len, buffer.length - used);
      System.arraycopy(b, off, buffer, used, n);
      used += n;
      off += n;
      len -= n;
    }
  }

  @Override
  public void flush() {
    // Chunks go out when full; close() sends the rest. Flushing early would only make small messages.
  }

  @Override
  public void close() {
    if (used > 0) {
      sendBuffer();
    }
  }

  long sentBytes() {
    return sent;
  }

  String sha256() {
    return HexFormat.of().formatHex(digest.digest());
  }

  private void sendBuffer() {
    awaitReady();
    digest.update(buffer, 0, used);
    stream.onNext(wrap.apply(ByteString.copyFrom(buffer, 0, used)));
    sent += used;
    used = 0;
  }

  private void awaitReady() {
    synchronized (readiness) {
      while (!stream.isReady()) {
        if (stream.isCancelled()) {
          throw ExecLogException.cancelled("the export was cancelled");
        }
        try {
          readiness.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw ExecLogException.cancelled("interrupted");
        }
      }
    }
  }
}
