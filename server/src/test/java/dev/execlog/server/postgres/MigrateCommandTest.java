package dev.execlog.server.postgres;

import static dev.execlog.server.ServerCommandLine.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.execlog.server.ServerCommandLine.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/** {@code execlog-server migrate}, and a server refusing a database that was not migrated. */
class MigrateCommandTest {

  @Test
  void migrate_newDatabase_appliesTheSchema_thenIsHarmlessAgain() {
    String db = SharedPostgres.newDatabase("migrate");
    String url = SharedPostgres.cluster().storeUrl(db);
    Result first = run("migrate", "--store", url, "--root", "/srv/project");
    assertEquals(0, first.exit(), first.err());
    assertEquals("execlog-server migrate: " + url + ": schema version none -> 2 (2 migrations applied); project root"
        + " /srv/project\n", first.out());
    Result again = run("migrate", "--store", url, "--root", "/srv/project");
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.out().contains("schema version 2, already current"), again.out());
    try (HikariDataSource pool = SharedPostgres.pool(db, 2)) {
      assertEquals(new PostgresSchema.Status("2", "/srv/project"),
          new PostgresSchema(pool, url).check(Path.of("/srv/project")), "what a server's start-up check will see");
    }
  }

  @Test
  void migrate_anotherRoot_exits1NamingTheRecordedOne() {
    String url = SharedPostgres.cluster().storeUrl(SharedPostgres.newDatabase("migrate"));
    assertEquals(0, run("migrate", "--store", url, "--root", "/srv/project").exit());
    Result other = run("migrate", "--store", url, "--root", "/srv/elsewhere");
    assertEquals(1, other.exit());
    assertTrue(other.err().contains("was set up for the project root /srv/project, not /srv/elsewhere"), other.err());
  }

  @Test
  void migrate_passwordInTheUrl_isAUsageError() {
    Result r = run("migrate", "--store", "postgresql://app:hunter2@127.0.0.1:1/db");
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--store-password-file"), r.err());
    assertFalse(r.err().contains("hunter2"), r.err());
  }

  @Test
  void migrate_unreachableDatabase_exits1WithTheDriversReason() {
    Result r = run("migrate", "--store", "postgresql://execlog@127.0.0.1:1/db", "--root", "/srv/project");
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("cannot connect to postgresql://execlog@127.0.0.1:1/db"), r.err());
  }

  @Test
  void serve_databaseWithoutSchema_refusesNamingTheMigrateCommandAndCreatesNoLogFile() throws Exception {
    Path root = Files.createTempDirectory("execlog-pg-serve-");
    String url = SharedPostgres.cluster().storeUrl(SharedPostgres.newDatabase("unmigrated"));
    Result r = run("--root", root.toString(), "--port", "0", "--store", url);
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("holds no execlog schema yet; run: execlog-server migrate --store " + url), r.err());
    assertFalse(Files.exists(root.resolve("configs/execution_log.json")), "no JSON log");
    try (var left = Files.walk(root)) {
      left.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void serve_unknownStoreOrStoreWithLog_isAUsageError() {
    Result unknown = run("--port", "0", "--store", "mysql://db/x");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("Invalid value for option '--store'"), unknown.err());
    Result both = run("--port", "0", "--store", "postgresql://db/x", "--log", "x.json");
    assertEquals(2, both.exit());
    assertTrue(both.err().contains("cannot be combined"), both.err());
  }
}
