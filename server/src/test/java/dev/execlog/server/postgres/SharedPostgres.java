package dev.execlog.server.postgres;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.LogMetadata;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One throwaway cluster for the whole test JVM (started on first use, stopped and removed at
 * exit), and a new database for each test class or test that asks. Fails, never skips, when no
 * cluster can be started.
 */
public final class SharedPostgres {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static LocalPostgres cluster;

  private SharedPostgres() {}

  /** The cluster, started on first call. */
  public static synchronized LocalPostgres cluster() {
    if (cluster == null) {
      try {
        cluster = LocalPostgres.start(LocalPostgres.Settings.forTests());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start a throwaway PostgreSQL for the tests: " + e.getMessage(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      LocalPostgres started = cluster;
      Runtime.getRuntime().addShutdownHook(new Thread(started::close, "execlog-test-postgres-stop"));
    }
    return cluster;
  }

  /** A new, empty database; its name starts with {@code prefix}. */
  public static String newDatabase(String prefix) {
    String name = prefix.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_" + DATABASES.incrementAndGet();
    try {
      cluster().createDatabase(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return name;
  }

  /** A pool on a database of the cluster, as the superuser. */
  public static HikariDataSource pool(String database, int size) {
    return PostgresPool.open(location(database), size, "execlog-test");
  }

  /** The store location of a database of the cluster. */
  public static PostgresLocation location(String database) {
    return PostgresLocation.parse(cluster().storeUrl(database), null, name -> null);
  }

  /**
   * Runs one statement on {@code pool}; a query's rows come back as text, cells joined by {@code |},
   * so tests compare what the database holds at a glance.
   */
  public static List<String> sql(DataSource pool, String statement) throws SQLException {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      if (!s.execute(statement)) {
        return List.of();
      }
      List<String> rows = new ArrayList<>();
      try (ResultSet r = s.getResultSet()) {
        int n = r.getMetaData().getColumnCount();
        while (r.next()) {
          List<String> cells = new ArrayList<>();
          for (int i = 1; i <= n; i++) {
            cells.add(r.getString(i));
          }
          rows.add(String.join("|", cells));
        }
      }
      return rows;
    }
  }

  private static HikariDataSource serverTests;

  /**
   * The database that server tests on the PostgreSQL store share (one test at a time): migrated on
   * first use, then emptied for each test and recorded with the test's project root, as a freshly
   * migrated database would be. The caller's previous server must have closed.
   */
  public static synchronized PostgresLocation emptyLog(Path projectRoot) {
    String database = "execlog_server_tests";
    if (serverTests == null) {
      String name = newDatabase(database);
      serverTests = pool(name, 2);
      new PostgresSchema(serverTests, name).migrate(projectRoot);
      location = location(name);
    }
    try (Connection c = serverTests.getConnection(); Statement s = c.createStatement();
         PreparedStatement meta = c.prepareStatement("UPDATE log_meta SET project_root = ?, created_text = ?,"
             + " version = ?, extra_json = NULL")) {
      s.execute("TRUNCATE runs, run_inputs, run_outputs, tasks, changes RESTART IDENTITY");
      meta.setString(1, projectRoot.toString());
      meta.setString(2, Timestamps.systemDefault().format(Timestamps.nowMicros()));
      meta.setString(3, LogMetadata.FORMAT_VERSION);
      meta.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the test database: " + e.getMessage(), e);
    }
    return location;
  }

  private static PostgresLocation location;
}
