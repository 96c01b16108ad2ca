package dev.execlog.server.migrate;

import dev.execlog.server.ops.LogExporter;
import dev.execlog.server.store.ExecutionStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 of a store's JSON export, line by line, leaving out the top-level
 * {@code last_modified} line: moving a log between stores is itself a change, so that one key may
 * differ while every run, summary and other key must be the same bytes.
 */
final class ExportDigest extends OutputStream {

  private static final byte[] LAST_MODIFIED = "  \"last_modified\": ".getBytes(StandardCharsets.UTF_8);

  private final MessageDigest digest;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
  private long lines;

  private ExportDigest() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The digest of the store's JSON export and how many lines it had. */
  static Result of(ExecutionStore store) throws IOException {
    ExportDigest d = new ExportDigest();
    new LogExporter(store).exportAll(LogExporter.Format.JSON, d);
    d.endLine();
    return new Result(HexFormat.of().formatHex(d.digest.digest()), d.lines);
  }

  record Result(String sha256, long lines) {}

  @Override
  public void write(int b) {
    line.write(b);
    if (b == '\n') {
      endLine();
    }
  }

  @Override
  public void write(byte[] b, int off, int len) {
    int start = off;
    for (int i = off; i < off + len; i++) {
      if (b[i] == '\n') {
        line.write(b, start, i + 1 - start);
        endLine();
        start = i + 1;
      }
    }
    line.write(b, start, off + len - start);
  }

  private void endLine() {
    if (line.size() == 0) {
      return;
    }
    byte[] bytes = line.toByteArray();
    line.reset();
    lines++;
    if (!startsWith(bytes, LAST_MODIFIED)) {
      digest.update(bytes);
    }
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
