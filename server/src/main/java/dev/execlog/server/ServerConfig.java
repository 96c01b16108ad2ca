package dev.execlog.server;

import dev.execlog.server.ops.Limits;
import dev.execlog.server.postgres.PostgresLocation;
import dev.execlog.server.security.AuthConfig;
import dev.execlog.server.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a server needs to know to serve one log.
 *
 * @param projectRoot paths are resolved and confined here
 * @param logFile the JSON log file
 * @param allowedRoots absolute directories outside the project that recorded paths may also name
 * @param foldInterval how long a change may stay in the journal before the log file shows it
 * @param limits request size limits
 * @param auth who may call and with which role; null turns authentication off
 * @param postgres the PostgreSQL store to serve from; null serves the JSON store ({@code logFile})
 * @param storeConnections the most connections the PostgreSQL store opens
 * @param serverId names this server in GetLogInfo, its metrics and its log lines
 */
public record ServerConfig(Path projectRoot, Path logFile, List<Path> allowedRoots, Duration foldInterval,
    Limits limits, AuthConfig auth, PostgresLocation postgres, int storeConnections, String serverId) {

  public static final int DEFAULT_STORE_CONNECTIONS = 16;

  public static final String DEFAULT_LOG = "configs/execution_log.json";

  public static ServerConfig forProject(Path root) {
    Path absolute = root.toAbsolutePath().normalize();
    return new ServerConfig(absolute, absolute.resolve(DEFAULT_LOG), List.of(), Duration.ofSeconds(1),
        Limits.defaults(), null, null, DEFAULT_STORE_CONNECTIONS, defaultServerId());
  }

  public ServerConfig withLogFile(Path file) {
    return new ServerConfig(projectRoot, file, allowedRoots, foldInterval, limits, auth, postgres, storeConnections, serverId);
  }

  public ServerConfig withFoldInterval(Duration interval) {
    return new ServerConfig(projectRoot, logFile, allowedRoots, interval, limits, auth, postgres, storeConnections, serverId);
  }

  public ServerConfig withAuth(AuthConfig authConfig) {
    return new ServerConfig(projectRoot, logFile, allowedRoots, foldInterval, limits, authConfig, postgres, storeConnections, serverId);
  }

  public ServerConfig withLimits(Limits newLimits) {
    return new ServerConfig(projectRoot, logFile, allowedRoots, foldInterval, newLimits, auth, postgres, storeConnections, serverId);
  }

  /** Serves from this PostgreSQL database instead of the JSON file. */
  public ServerConfig withPostgres(PostgresLocation location, int connections) {
    return new ServerConfig(projectRoot, logFile, allowedRoots, foldInterval, limits, auth, location, connections, serverId);
  }

  public ServerConfig withServerId(String id) {
    return new ServerConfig(projectRoot, logFile, allowedRoots, foldInterval, limits, auth, postgres, storeConnections, id);
  }

  /** This machine's host name and this process's id: unique among the servers of one store. */
  public static String defaultServerId() {
    return StoreConfig.localHostname() + "-" + ProcessHandle.current().pid();
  }
}
