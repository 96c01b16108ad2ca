package dev.execlog.server.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** --store URLs: what reaches the driver, what people see, and where a password may come from. */
class PostgresLocationTest {

  private static final Map<String, String> NO_ENV = Map.of();

  @Test
  void url_withUserAndTlsParameters_passesThemToTheDriver() {
    PostgresLocation l = PostgresLocation.parse(
        "postgresql://execlog@db.example:5433/history?sslmode=verify-full&sslrootcert=/etc/ca.pem", null, NO_ENV::get);
    assertEquals("jdbc:postgresql://db.example:5433/history?sslmode=verify-full&sslrootcert=/etc/ca.pem", l.jdbcUrl());
    assertEquals("execlog", l.user());
    assertNull(l.password());
    assertEquals("postgresql://execlog@db.example:5433/history?sslmode=verify-full&sslrootcert=/etc/ca.pem",
        l.display());
  }

  @Test
  void jdbcUrl_withUserParameter_takesTheUserOutOfTheUrl() {
    PostgresLocation l = PostgresLocation.parse("jdbc:postgresql://h1:5432,h2:5432/db?user=app&targetServerType=primary",
        null, NO_ENV::get);
    assertEquals("jdbc:postgresql://h1:5432,h2:5432/db?targetServerType=primary", l.jdbcUrl());
    assertEquals("app", l.user());
  }

  @ParameterizedTest
  @ValueSource(strings = {"postgresql://app:secret@db/history", "postgresql://db/history?password=secret",
      "postgresql://db/history?sslmode=require&sslpassword=secret"})
  void passwordInTheUrl_isRefusedWithoutRepeatingIt(String url) {
    ExecLogException e = assertThrows(ExecLogException.class, () -> PostgresLocation.parse(url, null, NO_ENV::get));
    assertEquals(ErrorReason.CONFIG_INVALID, e.reason());
    assertTrue(e.getMessage().contains("--store-password-file"), e.getMessage());
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"json", "mysql://db/history", "postgresql://db", "postgresql://db/", "postgresql:///history"})
  void notADatabaseUrl_isRefused(String url) {
    ExecLogException e = assertThrows(ExecLogException.class, () -> PostgresLocation.parse(url, null, NO_ENV::get));
    assertEquals(ErrorReason.CONFIG_INVALID, e.reason());
  }

  @Test
  void password_comesFromTheFileFirst_thenTheEnvironment() throws Exception {
    Path file = Files.createTempFile("execlog-pg-password-", ".txt");
    Files.writeString(file, "from-file\n");
    Map<String, String> env = Map.of("EXECLOG_STORE_PASSWORD", "from-execlog-env", "PGPASSWORD", "from-pg-env");
    assertEquals("from-file", PostgresLocation.parse("postgresql://db/h", file, env::get).password());
    assertEquals("from-execlog-env", PostgresLocation.parse("postgresql://db/h", null, env::get).password());
    assertEquals("from-pg-env", PostgresLocation.parse("postgresql://db/h", null, Map.of("PGPASSWORD", "from-pg-env")::get)
        .password());
    PostgresLocation l = PostgresLocation.parse("postgresql://db/h", file, env::get);
    assertFalse(l.toString().contains("from-file"), "toString never shows the password: " + l);
    Files.delete(file);
  }

  @Test
  void missingPasswordFile_isAConfigurationError() {
    ExecLogException e = assertThrows(ExecLogException.class,
        () -> PostgresLocation.parse("postgresql://db/h", Path.of("/nonexistent/pw"), NO_ENV::get));
    assertTrue(e.getMessage().contains("/nonexistent/pw"), e.getMessage());
  }

  @Test
  void isPostgres_knowsTheThreeSchemes() {
    assertTrue(PostgresLocation.isPostgres("postgresql://db/h"));
    assertTrue(PostgresLocation.isPostgres("POSTGRES://db/h"));
    assertTrue(PostgresLocation.isPostgres("jdbc:postgresql://db/h"));
    assertFalse(PostgresLocation.isPostgres("json"));
  }
}
