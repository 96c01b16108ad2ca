package dev.execlog.server.openlineage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * OpenLineage run ids, which must be UUIDs, from execlog run ids, which are any text: a run id that
 * is a UUID is kept; any other becomes the name-based UUID (RFC 9562 version 5, SHA-1) of
 * {@code <job namespace>/runs/<run id>} in the URL name space, so every export of a run gives the
 * same id, and two logs with the same run ids but different namespaces do not collide. In Python:
 * {@code uuid.uuid5(uuid.NAMESPACE_URL, f"{namespace}/runs/{run_id}")}.
 */
public final class RunUuids {

  /** RFC 9562's name space for URLs, 6ba7b811-9dad-11d1-80b4-00c04fd430c8. */
  static final UUID NAMESPACE_URL = UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

  private static final Pattern CANONICAL =
      Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private RunUuids() {}

  /** The OpenLineage run id of execlog run {@code runId} exported under job namespace {@code namespace}. */
  public static UUID of(String namespace, String runId) {
    if (CANONICAL.matcher(runId).matches()) {
      return UUID.fromString(runId);
    }
    return nameBased(NAMESPACE_URL, namespace + "/runs/" + runId);
  }

  /** Version 5 (SHA-1) name-based UUID of {@code name} in {@code space}. */
  static UUID nameBased(UUID space, String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-1", e);
    }
    sha1.update(bytes(space.getMostSignificantBits()));
    sha1.update(bytes(space.getLeastSignificantBits()));
    byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
    return new UUID(toLong(hash, 0), toLong(hash, 8));
  }

  private static byte[] bytes(long value) {
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) value;
      value >>>= 8;
    }
    return b;
  }

  private static long toLong(byte[] b, int from) {
    long v = 0;
    for (int i = from; i < from + 8; i++) {
      v = (v << 8) | (b[i] & 0xff);
    }
    return v;
  }
}
