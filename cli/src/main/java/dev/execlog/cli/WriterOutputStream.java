package dev.execlog.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes of UTF-8 text written to a character writer (picocli's stdout), decoding characters split
 * across chunk boundaries correctly.
 */
final class WriterOutputStream extends OutputStream {

  private final PrintWriter writer;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final ByteBuffer pending = ByteBuffer.allocate(8 * 1024);
  private final CharBuffer chars = CharBuffer.allocate(8 * 1024);

  WriterOutputStream(PrintWriter writer) {
    this.writer = writer;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    while (len > 0) {
      int n = Math.min(len, pending.remaining());
      pending.put(b, off, n);
      off += n;
      len -= n;
      drain(false);
    }
  }

  private void drain(boolean endOfInput) {
    pending.flip();
    while (true) {
      decoder.decode(pending, chars, endOfInput);
      chars.flip();
      writer.append(chars);
      boolean full = chars.limit() == chars.capacity();
      chars.clear();
      if (!full) {
        break;
      }
    }
    pending.compact(); // keeps the bytes of a character cut in two for the next chunk
  }

  @Override
  public void flush() {
    writer.flush();
  }

  @Override
  public void close() throws IOException {
    drain(true);
    decoder.flush(chars);
    chars.flip();
    writer.append(chars);
    chars.clear();
    writer.flush();
  }
}
