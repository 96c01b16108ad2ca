package dev.execlog.server.postgres;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
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
}
