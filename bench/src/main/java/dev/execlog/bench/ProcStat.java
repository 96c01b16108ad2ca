package dev.execlog.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time from Linux's {@code /proc/.../stat} files, of a process or of one of its threads. */
final class ProcStat {

  /** Linux's USER_HZ: the unit of the stat files' times. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private ProcStat() {}

  /** User and system CPU time in nanoseconds, read from a stat file such as {@code /proc/PID/stat}. */
  static long[] userSystemNanos(Path stat) throws IOException {
    String line = Files.readString(stat, StandardCharsets.US_ASCII);
    // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
    String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]) * NANOS_PER_TICK, Long.parseLong(f[12]) * NANOS_PER_TICK};
  }

  static Path ofProcess(long pid) {
    return Path.of("/proc", Long.toString(pid), "stat");
  }
}
