package dev.execlog.server.grpc;

import com.google.protobuf.MessageLite;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;

/**
 * The most bytes one response may carry. Clients refuse messages over 4 MiB by default (grpc's
 * default inbound limit), so a page of heavy runs ends early with a page token, and an answer
 * that cannot end early fails naming the limit, instead of every client of that history failing.
 */
final class ResponseBudget {

  /** Well under the 4 MiB clients accept, leaving room for the response's other fields. */
  static final int MAX_RESPONSE_BYTES = 3 * 1024 * 1024;

  private long left;

  private ResponseBudget(long bytes) {
    this.left = bytes;
  }

  static ResponseBudget standard() {
    return new ResponseBudget(MAX_RESPONSE_BYTES);
  }

  /**
   * Takes the room for {@code item} if it fits. The first item of a response always fits: a page
   * never comes back empty while runs remain.
   */
  boolean take(MessageLite item, boolean first) {
    // a repeated field costs the tag and the length besides the item's own bytes
    long size = item.getSerializedSize() + 6L;
    if (size > left && !first) {
      return false;
    }
    left -= size;
    return true;
  }

  /** Takes the room for {@code item}, or fails the call: for answers that have no next page. */
  void require(MessageLite item, String field, String what) {
    if (!take(item, false)) {
      throw ExecLogException.tooLarge(ErrorReason.RESPONSE_TOO_LARGE, field, MAX_RESPONSE_BYTES,
          "the answer would exceed " + MAX_RESPONSE_BYTES + " bytes; " + what);
    }
  }
}
