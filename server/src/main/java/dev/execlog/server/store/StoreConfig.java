package dev.execlog.server.store;

import dev.execlog.server.json.Timestamps;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the log lives and how often the journal is folded into it.
 *
 * @param logFile the JSON log file
 * @param foldInterval how long a change may sit in the journal before the log file shows it
 * @param timestamps how times are read and written
 * @param defaultHostname the host name recorded when a client sends none
 */
public record StoreConfig(Path logFile, Duration foldInterval, Timestamps timestamps, String defaultHostname) {

  public static StoreConfig defaults(Path logFile) {
    return new StoreConfig(logFile, Duration.ofSeconds(1), Timestamps.systemDefault(), localHostname());
  }

  public static String localHostname() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }
}
