package dev.execlog.server.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Whether the database answers, checked every {@link #EVERY} on a connection of its own (outside
 * the pool, whose waits would delay the answer), so readiness turns false within seconds of the
 * database going away and true again when it is back; listeners hear of each change.
 */
final class PostgresHealth implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(PostgresHealth.class.getName());
  static final Duration EVERY = Duration.ofSeconds(2);
  private static final int TIMEOUT_SECONDS = 2;

  private final PostgresLocation location;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "execlog-database-health");
    t.setDaemon(true);
    return t;
  });
  private Connection connection;
  private volatile boolean reachable = true;

  PostgresHealth(PostgresLocation location) {
    this.location = location;
    checks.scheduleWithFixedDelay(this::check, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean reachable() {
    return reachable;
  }

  void addListener(Runnable listener) {
    listeners.add(listener);
  }

  private void check() {
    boolean now;
    try {
      if (connection == null || connection.isClosed()) {
        Properties p = new Properties();
        if (location.user() != null) {
          p.setProperty("user", location.user());
        }
        if (location.password() != null) {
          p.setProperty("password", location.password());
        }
        p.setProperty("connectTimeout", Integer.toString(TIMEOUT_SECONDS));
        p.setProperty("socketTimeout", Integer.toString(TIMEOUT_SECONDS));
        p.setProperty("ApplicationName", "execlog-server-health");
        connection = DriverManager.getConnection(location.jdbcUrl(), p);
      }
      now = connection.isValid(TIMEOUT_SECONDS);
    } catch (SQLException e) {
      now = false;
    }
    if (!now) {
      closeConnection();
    }
    if (now != reachable) {
      reachable = now;
      LOG.warning(now ? "the database " + location.display() + " answers again"
          : "the database " + location.display() + " does not answer; not ready until it does");
      listeners.forEach(Runnable::run);
    }
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // already broken
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    checks.shutdownNow();
    try {
      checks.awaitTermination(3, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeConnection();
  }
}
