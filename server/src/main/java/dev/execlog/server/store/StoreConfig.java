package dev.execlog.server.store;

import dev.execlog.server.json.Timestamps;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the log lives, how often the journal is folded into it, and how often the server checks
 * that its files are still there.
 *
 * @param logFile the JSON log file
 * @param foldInterval how long a change may sit in the journal before the log file shows it
 * @param timestamps how times are read and written
 * @param defaultHostname the host name recorded when a client sends none
 * @param checkInterval how long a deleted lock, log file or journal segment may go unnoticed
 * @param channels opens the journal's files ({@link FileChannels#SYSTEM} but in tests of disk faults)
 * @param metrics told about commits and folds
 */
public record StoreConfig(Path logFile, Duration foldInterval, Timestamps timestamps, String defaultHostname,
    Duration checkInterval, FileChannels channels, StoreMetrics metrics) {

  public StoreConfig(Path logFile, Duration foldInterval, Timestamps timestamps, String defaultHostname,
      Duration checkInterval) {
    this(logFile, foldInterval, timestamps, defaultHostname, checkInterval, FileChannels.SYSTEM, StoreMetrics.NONE);
  }

  /** The same store, with the journal's files opened by {@code opener}. */
  public StoreConfig withChannels(FileChannels opener) {
    return new StoreConfig(logFile, foldInterval, timestamps, defaultHostname, checkInterval, opener, metrics);
  }

  /** The same store, reporting its commits and folds to {@code observer}. */
  public StoreConfig withMetrics(StoreMetrics observer) {
    return new StoreConfig(logFile, foldInterval, timestamps, defaultHostname, checkInterval, channels, observer);
  }

  /** Overrides the default check interval, in milliseconds (for tests that cannot wait). */
  public static final String CHECK_INTERVAL_PROPERTY = "execlog.check-interval-ms";

  /** With the check interval of {@link #CHECK_INTERVAL_PROPERTY}, else 500 ms. */
  public StoreConfig(Path logFile, Duration foldInterval, Timestamps timestamps, String defaultHostname) {
    this(logFile, foldInterval, timestamps, defaultHostname,
        Duration.ofMillis(Math.max(1, Long.getLong(CHECK_INTERVAL_PROPERTY, 500))));
  }

  public static StoreConfig defaults(Path logFile) {
    return new StoreConfig(logFile, Duration.ofSeconds(1), Timestamps.systemDefault(), localHostname());
  }

  public static String localHostname() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }
}
