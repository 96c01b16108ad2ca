package dev.execlog.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.zip.CRC32;

/**
 * The append-only journal beside the log file: every change is appended here and forced to disk
 * before its RPC answers, then folded into the log file in the background. Split into numbered
 * segments so a fold can drop what it has written while new changes go to the next segment.
 *
 * <p>A line is {@code <crc32 as 8 hex digits> <json>\n}. A crash can leave the last lines of the
 * last segment torn; replay ignores such a tail, and refuses anything broken before a good line.
 *
 * <p>It remembers which file each segment it wrote is and how long it is on disk, so that a segment
 * deleted or cut short by another program is noticed ({@link #damage()}) while the changes in it are
 * still in memory and can be written to the log file again.
 */
final class Journal implements AutoCloseable {

  private final Path dir;
  private final String prefix;
  private final ConcurrentSkipListMap<Long, Written> written = new ConcurrentSkipListMap<>();
  private FileChannel channel;
  private long segment;
  private volatile Written current;

  /**
   * The format of the segments this server writes, in the first line of each. A server refuses to
   * replay a segment of a newer format rather than misread it; segments without the line are
   * format 1, as written before it existed.
   */
  static final int FORMAT = 1;

  private final FileChannels channels;

  Journal(Path logFile, FileChannels channels) {
    this.dir = logFile.toAbsolutePath().getParent();
    this.prefix = logFile.getFileName() + ".journal.";
    this.channels = channels;
  }

  Journal(Path logFile) {
    this(logFile, FileChannels.SYSTEM);
  }

  /** The first line of every segment: {@code {"op":"format","version":N}}. */
  static String formatLine() {
    return "{\"op\":\"format\",\"version\":" + FORMAT + "}";
  }

  /** Existing segments, oldest first. */
  List<Path> segments() throws IOException {
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, prefix + "*")) {
      for (Path p : stream) {
        if (number(p) >= 0) {
          found.add(p);
        }
      }
    }
    found.sort((a, b) -> Long.compare(number(a), number(b)));
    return found;
  }

  /** Bytes in every segment; a segment deleted while counting counts as empty. */
  long sizeBytes() {
    long total = 0;
    try {
      for (Path p : segments()) {
        try {
          total += Files.size(p);
        } catch (IOException gone) {
          // folded away meanwhile
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return total;
  }

  long number(Path segmentPath) {
    String name = segmentPath.getFileName().toString();
    try {
      return Long.parseLong(name.substring(prefix.length()));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return -1;
    }
  }

  /** Starts writing to a new segment numbered after every existing one; returns its number. */
  long openNext() throws IOException {
    long next = 1;
    for (Path p : segments()) {
      next = Math.max(next, number(p) + 1);
    }
    next = Math.max(next, segment + 1);
    Path path = dir.resolve(prefix + String.format("%06d", next));
    FileChannel opened = channels.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    Written fresh;
    try {
      fresh = new Written(path, Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
      writeFully(opened, ByteBuffer.wrap(encodeLine(formatLine())));
      opened.force(false);
      fresh.length = opened.position();
      syncDirectory();
    } catch (IOException e) {
      opened.close();
      throw e;
    }
    if (channel != null) {
      channel.close();
    }
    channel = opened;
    segment = next;
    written.put(next, fresh);
    current = fresh;
    return next;
  }

  long currentSegment() {
    return segment;
  }

  long position() throws IOException {
    return channel.position();
  }

  void append(ByteBuffer bytes) throws IOException {
    writeFully(channel, bytes);
  }

  private static void writeFully(FileChannel target, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      target.write(bytes);
    }
  }

  /** Forces appended data to disk ({@code fdatasync}): the moment a change becomes durable. */
  void force() throws IOException {
    channel.force(false);
    current.length = channel.position();
  }

  /** Cuts off a failed append so the segment ends on a whole line again. */
  void truncate(long position) throws IOException {
    channel.truncate(position);
    channel.position(position);
    channel.force(false);
    current.length = position;
  }

  /**
   * How the first segment this server wrote and still needs differs from what it wrote (deleted,
   * replaced by another file, or cut short), or null when each is intact.
   */
  String damage() {
    for (Written w : written.values()) {
      String damage = w.damage();
      if (damage != null) {
        return damage;
      }
    }
    return null;
  }

  /** {@link #damage()} of the segment appends go to: one {@code stat}, cheap enough before each append. */
  String currentDamage() {
    Written w = current;
    return w == null ? null : w.damage();
  }

  void deleteBefore(long number) throws IOException {
    // Forgotten before deleted, so a check meanwhile never takes a folded segment for a lost one.
    written.headMap(number).clear();
    for (Path p : segments()) {
      if (number(p) < number) {
        Files.deleteIfExists(p);
      }
    }
    syncDirectory();
  }

  void syncDirectory() throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open directories; the rename is still atomic there.
    }
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static byte[] encodeLine(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    CRC32 crc = new CRC32();
    crc.update(body);
    // "%08x " by hand: String.format would parse its pattern again for each of an import's lines.
    byte[] line = new byte[9 + body.length + 1];
    long value = crc.getValue();
    for (int i = 7; i >= 0; i--) {
      line[i] = (byte) HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
    line[8] = ' ';
    System.arraycopy(body, 0, line, 9, body.length);
    line[line.length - 1] = '\n';
    return line;
  }

  /** Receives the entries of a segment in order. */
  interface EntryHandler {
    void accept(String json) throws Exception;
  }

  /**
   * Replays one segment. Returns the number of torn bytes ignored at its end (only allowed when
   * {@code last} is true); throws when a damaged line is followed by a good one.
   */
  static long replay(Path segmentPath, boolean last, EntryHandler handler) throws IOException, JournalCorruptException {
    byte[] data = Files.readAllBytes(segmentPath);
    int start = 0;
    int badAt = -1;
    while (start < data.length) {
      int end = indexOf(data, (byte) '\n', start);
      String entry = end < 0 ? null : decodeLine(data, start, end);
      if (entry == null) {
        if (badAt < 0) {
          badAt = start;
        }
        if (end < 0) {
          break;
        }
      } else {
        if (badAt >= 0) {
          throw new JournalCorruptException(segmentPath + ": damaged entry at byte " + badAt + " before intact ones");
        }
        try {
          handler.accept(entry);
        } catch (Exception e) {
          throw new JournalCorruptException(segmentPath + ": entry at byte " + start + " cannot be applied: " + e.getMessage());
        }
      }
      start = end + 1;
    }
    if (badAt >= 0 && !last) {
      throw new JournalCorruptException(segmentPath + ": damaged entry at byte " + badAt + " in a segment that is not the last");
    }
    return badAt < 0 ? 0 : data.length - badAt;
  }

  private static String decodeLine(byte[] data, int start, int end) {
    if (end - start < 10 || data[start + 8] != ' ') {
      return null;
    }
    long expected;
    try {
      expected = Long.parseLong(new String(data, start, 8, StandardCharsets.US_ASCII), 16);
    } catch (NumberFormatException e) {
      return null;
    }
    CRC32 crc = new CRC32();
    crc.update(data, start + 9, end - start - 9);
    if (crc.getValue() != expected) {
      return null;
    }
    return new String(data, start + 9, end - start - 9, StandardCharsets.UTF_8);
  }

  private static int indexOf(byte[] data, byte b, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  /** A segment this server created: which file it is, and how many bytes of it are forced to disk. */
  private static final class Written {
    private final Path path;
    private final Object key;
    private volatile long length;

    Written(Path path, Object key) {
      this.path = path;
      this.key = key;
    }

    String damage() {
      BasicFileAttributes now;
      try {
        now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return "the journal segment " + path + " was deleted";
      } catch (IOException e) {
        return "the journal segment " + path + " cannot be read (" + e.getMessage() + ")";
      }
      if (key != null && !key.equals(now.fileKey())) {
        return "the journal segment " + path + " was replaced by another file";
      }
      if (now.size() < length) {
        return "the journal segment " + path + " was cut from " + length + " to " + now.size() + " bytes";
      }
      return null;
    }
  }

  /** A journal damaged other than by a torn tail: the server must not start on it. */
  static final class JournalCorruptException extends Exception {
    JournalCorruptException(String message) {
      super(message);
    }
  }
}
