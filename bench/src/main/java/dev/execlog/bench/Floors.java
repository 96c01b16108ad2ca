package dev.execlog.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the machine itself costs, measured where the log lives: the latency of appending a
 * journal-sized line and forcing it to disk ({@code fdatasync}), and the CPU time of one thread of
 * the server (by its native name), so goals are ratios against this machine in this run.
 */
final class Floors {

  private Floors() {}

  /**
   * Appends {@code count} lines of {@code lineBytes} to a fresh file in {@code dir}, forcing each
   * ({@code FileChannel.force(false)}, which is {@code fdatasync} on Linux); returns the latencies.
   */
  static OpResult appendSync(Path dir, int count, int lineBytes) throws IOException {
    Path file = Files.createTempFile(dir, "fdatasync-floor-", ".tmp");
    byte[] line = new byte[lineBytes];
    Arrays.fill(line, (byte) 'x');
    line[line.length - 1] = '\n';
    long[] nanos = new long[count];
    long start = System.nanoTime();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      for (int i = 0; i < count; i++) {
        long t0 = System.nanoTime();
        ByteBuffer b = ByteBuffer.wrap(line);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(false);
        nanos[i] = System.nanoTime() - t0;
      }
    } finally {
      Files.deleteIfExists(file);
    }
    return OpResult.of("fdatasync", "floor", 1, nanos, count, 0, (System.nanoTime() - start) / 1e9,
        lineBytes + " B append + fdatasync in " + dir, null);
  }

  /**
   * Seconds one thread takes to tokenize the log file with Jackson's streaming parser, building no
   * objects: what any start-up from the JSON file pays at least, before a run is made or indexed.
   * A first pass over the file's head compiles the parser, so the figure is not the JIT's.
   */
  static double tokenizeSeconds(Path log) throws IOException {
    JsonFactory json = new JsonFactory();
    try (JsonParser parser = json.createParser(log.toFile())) {
      for (int i = 0; i < WARM_TOKENS && parser.nextToken() != null; i++) {
        // warming up
      }
    }
    long start = System.nanoTime();
    long tokens = 0;
    try (JsonParser parser = json.createParser(log.toFile())) {
      while (parser.nextToken() != null) {
        tokens++;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return tokens > 0 ? seconds : -1;
  }

  /** About 50 MB of a generated log: enough for the parser to be compiled. */
  private static final int WARM_TOKENS = 2_000_000;

  /**
   * CPU seconds (user + system) the threads of process {@code pid} whose name starts with
   * {@code prefix} have used so far; -1 when /proc cannot tell.
   */
  static double threadCpuSeconds(long pid, String prefix) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    long nanos = 0;
    boolean found = false;
    try (var dirs = Files.list(tasks)) {
      for (Path t : dirs.toList()) {
        try {
          String comm = Files.readString(t.resolve("comm"), StandardCharsets.US_ASCII).trim();
          if (!comm.startsWith(prefix)) {
            continue;
          }
          long[] cpu = ProcStat.userSystemNanos(t.resolve("stat"));
          nanos += cpu[0] + cpu[1];
          found = true;
        } catch (IOException | RuntimeException gone) {
          // the thread ended meanwhile
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return found ? nanos / 1e9 : 0;
  }

  /** Splits "a b c" on blanks. */
  static List<String> words(String s) {
    List<String> out = new ArrayList<>();
    for (String w : s.trim().split("\\s+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }
}
