package dev.execlog.server.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.execlog.server.model.ExecLogException;

/**
 * The bounded connection pool (HikariCP) to a PostgreSQL store. Opening it connects once, so an
 * unreachable database, a wrong password or a missing database fail here, with the driver's words.
 */
public final class PostgresPool {

  private PostgresPool() {}

  /**
   * Opens a pool of at most {@code maxConnections}; {@code name} shows in {@code pg_stat_activity}
   * as the application name and in the pool's thread names.
   */
  public static HikariDataSource open(PostgresLocation location, int maxConnections, String name) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(location.jdbcUrl());
    if (location.user() != null) {
      config.setUsername(location.user());
    }
    if (location.password() != null) {
      config.setPassword(location.password());
    }
    config.setPoolName(name);
    config.setMaximumPoolSize(maxConnections);
    config.setMinimumIdle(Math.min(2, maxConnections));
    config.setConnectionTimeout(10_000);
    // Writes rely on READ COMMITTED (a record that meets a taken id reads the committed run in the
    // same transaction), whatever default_transaction_isolation the database has.
    config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    config.addDataSourceProperty("ApplicationName", name);
    // A record's file rows go in one INSERT instead of one per row.
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    try {
      return new HikariDataSource(config);
    } catch (HikariPool.PoolInitializationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw ExecLogException.storage("cannot connect to " + location.display() + ": " + cause.getMessage(), cause);
    }
  }
}
