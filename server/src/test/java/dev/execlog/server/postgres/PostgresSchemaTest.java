package dev.execlog.server.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Migrations run only when asked; a server's start-up check refuses every schema but its own. */
class PostgresSchemaTest {

  private static final Path ROOT = Path.of("/srv/project");

  private HikariDataSource pool;
  private String url;

  @BeforeEach
  void freshDatabase() {
    String db = SharedPostgres.newDatabase("schema");
    pool = SharedPostgres.pool(db, 2);
    url = SharedPostgres.location(db).display();
  }

  @AfterEach
  void close() {
    pool.close();
  }

  private PostgresSchema schema() {
    return new PostgresSchema(pool, url);
  }

  private ExecLogException refused(Runnable call) {
    ExecLogException e = assertThrows(ExecLogException.class, call::run);
    assertEquals(ErrorReason.CONFIG_INVALID, e.reason(), e.getMessage());
    return e;
  }

  @Test
  void migrate_emptyDatabase_createsTheSchemaAndRecordsTheRoot_once() {
    PostgresSchema.Migration first = schema().migrate(ROOT);
    assertEquals(new PostgresSchema.Migration("none", "2", 2, "/srv/project"), first);
    assertEquals(new PostgresSchema.Migration("2", "2", 0, "/srv/project"), schema().migrate(ROOT));
    assertEquals(new PostgresSchema.Migration("2", "2", 0, "/srv/project"), schema().migrate(ROOT));
    assertEquals(new PostgresSchema.Status("2", "/srv/project"), schema().check(ROOT));
    assertEquals("2", schema().knownVersion());
  }

  @Test
  void check_databaseWithoutSchema_namesTheMigrateCommand() {
    ExecLogException e = refused(() -> schema().check(ROOT));
    assertTrue(e.getMessage().contains("holds no execlog schema yet; run: execlog-server migrate --store " + url
        + " --root /srv/project"), e.getMessage());
  }

  @Test
  void check_anotherRoot_isRefusedNamingBoth() {
    schema().migrate(ROOT);
    ExecLogException e = refused(() -> schema().check(Path.of("/srv/other")));
    assertTrue(e.getMessage().contains("/srv/project") && e.getMessage().contains("/srv/other"), e.getMessage());
  }

  @Test
  void migrate_anotherRoot_isRefusedAndChangesNothing() {
    schema().migrate(ROOT);
    refused(() -> schema().migrate(Path.of("/srv/other")));
    assertEquals(new PostgresSchema.Status("2", "/srv/project"), schema().check(ROOT));
  }

  @Test
  void check_schemaOlderThanTheBuild_saysToMigrate_andMigrateUpgradesIt() {
    schema().migrate(ROOT);
    PostgresSchema newer = new PostgresSchema(pool, url, PostgresSchema.MIGRATIONS, "classpath:db/next-schema");
    ExecLogException e = refused(() -> newer.check(ROOT));
    assertTrue(e.getMessage().contains("has schema version 2, older than this execlog-server needs (3)")
        && e.getMessage().contains("run: execlog-server migrate --store " + url), e.getMessage());
    assertEquals(new PostgresSchema.Migration("2", "3", 1, "/srv/project"), newer.migrate(ROOT));
    assertEquals(new PostgresSchema.Status("3", "/srv/project"), newer.check(ROOT));
  }

  @Test
  void check_schemaNewerThanTheBuild_isRefused_andMigrateDoesNotTouchIt() {
    new PostgresSchema(pool, url, PostgresSchema.MIGRATIONS, "classpath:db/next-schema").migrate(ROOT);
    ExecLogException e = refused(() -> schema().check(ROOT));
    assertTrue(e.getMessage().contains("has schema version 3, newer than this execlog-server knows (2)"),
        e.getMessage());
    ExecLogException m = refused(() -> schema().migrate(ROOT));
    assertTrue(m.getMessage().contains("newer than this execlog-server knows"), m.getMessage());
  }
}
