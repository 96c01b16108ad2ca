package dev.execlog.server.json;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;

/**
 * Passes bytes through only while they are well-formed UTF-8 (Unicode's table 3-7): no overlong
 * forms, no encoded surrogates, nothing above U+10FFFF, no sequence cut short. Jackson decodes
 * {@code C0 AF} as {@code /} and wraps values above U+10FFFF into other characters, so a log or an
 * import could bring in text that differs from its bytes; such input is refused at the first bad
 * byte instead.
 */
public final class StrictUtf8InputStream extends FilterInputStream {

  private long offset;
  /** Continuation bytes still expected in the current sequence. */
  private int remaining;
  /** The allowed range of the next continuation byte (the first one's range is narrower for some leads). */
  private int low = 0x80;
  private int high = 0xBF;

  public StrictUtf8InputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b < 0) {
      atEnd();
    } else {
      check(b);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int off, int len) throws IOException {
    int n = super.read(buffer, off, len);
    if (n < 0) {
      atEnd();
      return n;
    }
    int end = off + n;
    int i = off;
    while (i < end) {
      if (remaining == 0 && buffer[i] >= 0) {
        // ASCII (almost all of a log): nothing to check but the sign bit, counted in one step.
        int start = i;
        while (i < end && buffer[i] >= 0) {
          i++;
        }
        offset += i - start;
      } else {
        check(buffer[i++] & 0xFF);
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes would go unchecked: read them instead.
    byte[] scratch = new byte[(int) Math.min(n, 8192)];
    int got = read(scratch, 0, scratch.length);
    return Math.max(got, 0);
  }

  private void check(int b) throws CharacterCodingException {
    if (remaining > 0) {
      if (b < low || b > high) {
        throw malformed("a continuation byte out of range (an overlong form, an encoded surrogate or a value above U+10FFFF)");
      }
      remaining--;
      low = 0x80;
      high = 0xBF;
    } else if (b >= 0x80) {
      lead(b);
    }
    offset++;
  }

  private void lead(int b) throws CharacterCodingException {
    if (b >= 0xC2 && b <= 0xDF) {
      remaining = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      remaining = 2;
      low = b == 0xE0 ? 0xA0 : 0x80;
      high = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
      remaining = 3;
      low = b == 0xF0 ? 0x90 : 0x80;
      high = b == 0xF4 ? 0x8F : 0xBF;
    } else {
      throw malformed("byte 0x" + Integer.toHexString(b) + " cannot start a character");
    }
  }

  private void atEnd() throws CharacterCodingException {
    if (remaining > 0) {
      throw malformed("the input ends inside a character");
    }
  }

  private CharacterCodingException malformed(String why) {
    CharacterCodingException e = new CharacterCodingException() {
      @Override
      public String getMessage() {
        return "malformed UTF-8 at byte " + offset + ": " + why;
      }
    };
    return e;
  }
}
