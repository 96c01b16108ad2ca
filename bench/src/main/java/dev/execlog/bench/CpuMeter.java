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

  private final ProcessHandle server;
  private final long serverFrom;
  private final long serverSysFrom;
  private final long selfFrom;
  private final long[] machineFrom;

  private CpuMeter(ProcessHandle server) {
    this.server = server;
    this.serverFrom = cpuNanos(server);
    this.serverSysFrom = systemNanos(server.pid());
    this.selfFrom = selfNanos();
    this.machineFrom = machineTicks();
  }

  static CpuMeter start(ProcessHandle server) {
    return new CpuMeter(server);
  }

  /** For example {@code "CPU per call: server 212 µs, bench 118 µs; machine 2 % idle"}. */
  String perCall(long calls) {
    if (calls <= 0) {
      return null;
    }
    long serverNanos = cpuNanos(server) - serverFrom;
    long serverSys = systemNanos(server.pid()) - serverSysFrom;
    long selfNanos = selfNanos() - selfFrom;
    long[] machine = machineTicks();
    String idle = "";
    if (machine != null && machineFrom != null && machine[0] > machineFrom[0]) {
      idle = String.format("; machine %.0f %% idle", 100.0 * (machine[1] - machineFrom[1]) / (machine[0] - machineFrom[0]));
    }
    return String.format("CPU per call: server %.0f µs (%.0f µs in the kernel), bench %.0f µs%s",
        serverNanos / 1e3 / calls, serverSys / 1e3 / calls, selfNanos / 1e3 / calls, idle);
  }

  private static long cpuNanos(ProcessHandle process) {
    return process.info().totalCpuDuration().map(d -> d.toNanos()).orElse(0L);
  }

  /** A process's CPU time in the kernel, from {@code /proc/PID/stat} (0 off Linux). */
  private static long systemNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
      // Fields after the command's closing parenthesis: state is field 3, stime 15.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[12]) * 10_000_000L; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return 0;
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
