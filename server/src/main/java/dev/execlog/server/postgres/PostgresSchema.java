package dev.execlog.server.postgres;

import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.LogMetadata;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The schema of a PostgreSQL store: its versioned migrations ({@code db/migration/V*.sql}, applied
 * by Flyway) and the project root the database was set up for. {@link #migrate} is what
 * {@code execlog-server migrate} runs, explicitly; a server never migrates on its own.
 * {@link #check} is the start-up check: it refuses a database without the schema, with an older or
 * a newer one than this build knows, with a failed migration, or set up for another project root,
 * and says what to do.
 */
public final class PostgresSchema {

  /** Where the migrations are, on the class path. */
  public static final String MIGRATIONS = "classpath:db/migration";

  private final DataSource dataSource;
  private final String location;
  private final String[] migrations;

  /**
   * @param dataSource at least two connections: Flyway takes a second one while it holds the first
   * @param location the database as people should read it (no password), for messages
   */
  public PostgresSchema(DataSource dataSource, String location) {
    this(dataSource, location, MIGRATIONS);
  }

  /** With other migration locations: tests play a build that knows a newer schema. */
  PostgresSchema(DataSource dataSource, String location, String... migrations) {
    if (dataSource instanceof HikariDataSource pool && pool.getMaximumPoolSize() < 2) {
      // Flyway holds one connection while it takes a second: one would wait for itself.
      throw new IllegalArgumentException("the schema needs a pool of at least 2 connections");
    }
    this.dataSource = dataSource;
    this.location = location;
    this.migrations = migrations;
  }

  /** What a migration found and did. */
  public record Migration(String fromVersion, String toVersion, int applied, String projectRoot) {}

  /** What the start-up check found. */
  public record Status(String version, String projectRoot) {}

  private MigrationInfoService info() {
    try {
      return flyway().info();
    } catch (FlywayException e) {
      throw ExecLogException.storage("cannot read the schema history of " + location + ": " + e.getMessage(), e);
    }
  }

  private Flyway flyway() {
    return Flyway.configure(PostgresSchema.class.getClassLoader())
        .dataSource(dataSource)
        .locations(migrations)
        .failOnMissingLocations(true)
        .cleanDisabled(true)
        .load();
  }

  /** The newest schema version this build knows (its newest migration). */
  public String knownVersion() {
    MigrationInfo[] all = info().all();
    return Arrays.stream(all).filter(m -> m.getState() != MigrationState.FUTURE_SUCCESS
            && m.getState() != MigrationState.FUTURE_FAILED)
        .map(MigrationInfo::getVersion).max(MigrationVersion::compareTo).map(MigrationVersion::getVersion)
        .orElseThrow(() -> new IllegalStateException("no migration in " + String.join(", ", migrations)));
  }

  /**
   * Creates or upgrades the schema to this build's version and records the project root. Refuses,
   * before changing anything, a database recorded with another root, and a schema newer than this
   * build knows.
   */
  public Migration migrate(Path projectRoot) {
    String root = projectRoot.toString();
    String recorded = recordedRoot();
    if (recorded != null && !recorded.equals(root)) {
      throw otherRoot(recorded, root);
    }
    MigrationInfoService info = info();
    List<MigrationInfo> future = future(info);
    if (!future.isEmpty()) {
      throw ExecLogException.config(location + " has schema version " + future.get(future.size() - 1).getVersion()
          + ", newer than this execlog-server knows (" + knownVersion() + "): use a newer execlog-server");
    }
    String from = info.current() == null ? "none" : info.current().getVersion().getVersion();
    MigrateResult result;
    try {
      result = flyway().migrate();
    } catch (RuntimeException e) {
      throw ExecLogException.storage("migrating " + location + " failed: " + e.getMessage(), e);
    }
    String createdText = Timestamps.systemDefault().format(Timestamps.nowMicros());
    try (Connection c = dataSource.getConnection();
         PreparedStatement s = c.prepareStatement("INSERT INTO log_meta (created_text, version, project_root)"
             + " VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING")) {
      s.setString(1, createdText);
      s.setString(2, LogMetadata.FORMAT_VERSION);
      s.setString(3, root);
      s.executeUpdate();
    } catch (SQLException e) {
      throw Transactions.translate(e);
    }
    String now = recordedRoot();
    if (!root.equals(now)) {
      throw otherRoot(now, root); // another migrate with another root won the race
    }
    return new Migration(from, result.targetSchemaVersion != null ? result.targetSchemaVersion : from,
        result.migrationsExecuted, root);
  }

  /**
   * The start-up check of a server on this database: the schema is exactly this build's and the
   * database was set up for this project root. Otherwise CONFIG_INVALID, saying which command to run.
   */
  public Status check(Path projectRoot) {
    String migrate = "execlog-server migrate --store " + location + " --root " + projectRoot;
    MigrationInfoService info = info();
    for (MigrationInfo m : info.applied()) {
      if (m.getState() == MigrationState.FAILED || m.getState() == MigrationState.FUTURE_FAILED) {
        throw ExecLogException.config(location + ": schema migration " + m.getVersion() + " (" + m.getDescription()
            + ") failed part-way; restore the database from a backup, then run: " + migrate);
      }
    }
    if (info.current() == null) {
      throw ExecLogException.config(location + " holds no execlog schema yet; run: " + migrate);
    }
    String current = info.current().getVersion().getVersion();
    if (!future(info).isEmpty()) {
      throw ExecLogException.config(location + " has schema version " + current + ", newer than this execlog-server"
          + " knows (" + knownVersion() + "): use a newer execlog-server");
    }
    if (info.pending().length > 0) {
      throw ExecLogException.config(location + " has schema version " + current + ", older than this execlog-server"
          + " needs (" + knownVersion() + "); stop every server on it, then run: " + migrate);
    }
    String recorded = recordedRoot();
    if (recorded == null) {
      throw ExecLogException.config(location + " records no project root; run: " + migrate);
    }
    if (!recorded.equals(projectRoot.toString())) {
      throw otherRoot(recorded, projectRoot.toString());
    }
    return new Status(current, recorded);
  }

  private static List<MigrationInfo> future(MigrationInfoService info) {
    return Arrays.stream(info.applied()).filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS).toList();
  }

  private ExecLogException otherRoot(String recorded, String root) {
    return ExecLogException.config(location + " was set up for the project root " + recorded + ", not " + root
        + ": every server on one database must share one --root (paths are kept relative to it)");
  }

  /** The project root the database records, or null (no schema yet, or never migrated to the end). */
  private String recordedRoot() {
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement s = c.prepareStatement("SELECT to_regclass('log_meta') IS NOT NULL");
           ResultSet r = s.executeQuery()) {
        r.next();
        if (!r.getBoolean(1)) {
          return null;
        }
      }
      try (PreparedStatement s = c.prepareStatement("SELECT project_root FROM log_meta");
           ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    } catch (SQLException e) {
      throw Transactions.translate(e);
    }
  }
}
