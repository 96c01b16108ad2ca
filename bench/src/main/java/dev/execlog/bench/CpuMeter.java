package dev.execlog.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the CPU went during a phase: the server's process, the benchmark's own process, and what
 * the machine left idle. A throughput figure alone cannot say whether the server or the clients
 * beside it on the same cores were the bound; CPU per call can.
 */
final class CpuMeter {

  private final Path serverStat;
  private final long[] serverFrom;
  private final long selfFrom;
  private final long[] machineFrom;

  private CpuMeter(long serverPid) {
    this.serverStat = ProcStat.ofProcess(serverPid);
    this.serverFrom = server();
    this.selfFrom = selfNanos();
    this.machineFrom = machineTicks();
  }

  static CpuMeter start(long serverPid) {
    return new CpuMeter(serverPid);
  }

  /** For example {@code "CPU per call: server 212 µs (90 µs in the kernel), bench 118 µs; machine 2 % idle"}. */
  String perCall(long calls) {
    long[] server = server();
    if (calls <= 0 || server == null || serverFrom == null) {
      return null;
    }
    long serverUser = server[0] - serverFrom[0];
    long serverSys = server[1] - serverFrom[1];
    long selfNanos = selfNanos() - selfFrom;
    long[] machine = machineTicks();
    String idle = "";
    if (machine != null && machineFrom != null && machine[0] > machineFrom[0]) {
      idle = String.format("; machine %.0f %% idle", 100.0 * (machine[1] - machineFrom[1]) / (machine[0] - machineFrom[0]));
    }
    return String.format("CPU per call: server %.0f µs (%.0f µs in the kernel), bench %.0f µs%s",
        (serverUser + serverSys) / 1e3 / calls, serverSys / 1e3 / calls, selfNanos / 1e3 / calls, idle);
  }

  /** The server's user and system CPU nanoseconds, or null off Linux. */
  private long[] server() {
    try {
      return ProcStat.userSystemNanos(serverStat);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static long selfNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  /** Total and idle jiffies of all cores from {@code /proc/stat}, or null off Linux. */
  private static long[] machineTicks() {
    try {
      String cpu = Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.US_ASCII).get(0);
      String[] f = cpu.trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      // idle and iowait: time no process of anyone's could use
      return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
