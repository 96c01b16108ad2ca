package dev.execlog.server.grpc;

import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.store.HistoryPage;
import dev.execlog.server.store.HistoryQuery;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Opaque page tokens (AIP-158): an internal binary message (which listing, its filters, where the
 * next page starts) with a checksum, base64url-encoded. A token is only good for the query that
 * returned it: one sent with other filters, to another method, or damaged, is INVALID_ARGUMENT
 * with reason INVALID_PAGE_TOKEN naming what differs, instead of a wrong page.
 */
final class PageTokens {

  private static final int VERSION = 2;
  private static final byte HISTORY = 'h';
  private static final byte TASKS = 't';

  private PageTokens() {}

  static String history(HistoryPage.Position next, HistoryQuery query) {
    if (next == null) {
      return "";
    }
    return encode(HISTORY, out -> {
      writeOptional(out, query.taskId());
      out.writeBoolean(query.successOnly());
      writeOptional(out, query.startMicros());
      writeOptional(out, query.endMicros());
      out.writeLong(next.timeMicros());
      out.writeLong(next.seq());
    });
  }

  static HistoryPage.Position parseHistory(String token, HistoryQuery query) {
    if (token.isEmpty()) {
      return null;
    }
    DataInputStream in = decode(token, HISTORY, "ListExecutions");
    try {
      same("task_id", in.readBoolean() ? in.readUTF() : null, query.taskId());
      same("success_only", in.readBoolean(), query.successOnly());
      same("start_time", in.readBoolean() ? in.readLong() : null, query.startMicros());
      same("end_time", in.readBoolean() ? in.readLong() : null, query.endMicros());
      return new HistoryPage.Position(in.readLong(), in.readLong());
    } catch (IOException e) {
      throw invalid("is not a token this server issued");
    }
  }

  static String tasks(String lastTaskId) {
    return lastTaskId == null ? "" : encode(TASKS, out -> out.writeUTF(lastTaskId));
  }

  static String parseTasks(String token) {
    if (token.isEmpty()) {
      return null;
    }
    try {
      return decode(token, TASKS, "ListTasks").readUTF();
    } catch (IOException e) {
      throw invalid("is not a token this server issued");
    }
  }

  static int pageSize(int requested, int max, int defaultSize) {
    if (requested < 0) {
      throw ExecLogException.invalid("page_size", "must not be negative");
    }
    return requested == 0 ? defaultSize : Math.min(requested, max);
  }

  private static void same(String field, Object inToken, Object inRequest) {
    if (!Objects.equals(inToken, inRequest)) {
      throw invalid("was issued for another " + field + "; send the same filters as the call that returned it");
    }
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static String encode(byte kind, Body body) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(VERSION);
      out.writeByte(kind);
      body.write(out);
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeInt((int) crc.getValue());
      return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The token's body after checking its checksum, version and kind. */
  private static DataInputStream decode(String token, byte kind, String method) {
    byte[] data;
    try {
      data = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      throw invalid("is not a token this server issued");
    }
    if (data.length < 6) {
      throw invalid("is not a token this server issued");
    }
    CRC32 crc = new CRC32();
    crc.update(data, 0, data.length - 4);
    int stored = ((data[data.length - 4] & 0xFF) << 24) | ((data[data.length - 3] & 0xFF) << 16)
        | ((data[data.length - 2] & 0xFF) << 8) | (data[data.length - 1] & 0xFF);
    if ((int) crc.getValue() != stored || data[0] != VERSION) {
      throw invalid("is not a token this server issued (damaged, or from another version)");
    }
    if (data[1] != kind) {
      throw invalid("was issued by another method; " + method + " takes only its own tokens");
    }
    return new DataInputStream(new ByteArrayInputStream(data, 2, data.length - 6));
  }

  private static void writeOptional(DataOutputStream out, Object value) throws IOException {
    out.writeBoolean(value != null);
    if (value instanceof String s) {
      out.writeUTF(s);
    } else if (value instanceof Long l) {
      out.writeLong(l);
    }
  }

  private static ExecLogException invalid(String message) {
    return new ExecLogException(ErrorReason.INVALID_PAGE_TOKEN, "page_token", "page_token: " + message, null);
  }
}
