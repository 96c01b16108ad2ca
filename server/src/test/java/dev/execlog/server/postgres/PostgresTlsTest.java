package dev.execlog.server.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.execlog.server.ServerMain;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/** TLS to the database: sslmode and sslrootcert in the --store URL reach the driver, and are enforced. */
class PostgresTlsTest {

  @Test
  void verifyFull_trustedCertificate_connectsOverTls_otherCertificateIsRefused() throws Exception {
    Path certs = Files.createTempDirectory("execlog-pg-tls-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    try {
      selfSigned(certs, "server");
      selfSigned(certs, "stranger");
      Path key = certs.resolve("server.key");
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      if ("root".equals(System.getProperty("user.name"))) {
        run(List.of("chown", "postgres", key.toString()), certs);
      }
      LocalPostgres.Settings tls = LocalPostgres.Settings.forTests().withOption("ssl", "on")
          .withOption("ssl_cert_file", certs.resolve("server.pem").toString())
          .withOption("ssl_key_file", key.toString());
      try (LocalPostgres pg = LocalPostgres.start(tls)) {
        String url = pg.storeUrl("postgres") + "?sslmode=verify-full&sslrootcert=" + certs.resolve("server.pem");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new ServerMain()).setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true)).execute("migrate", "--store", url, "--root", "/srv/project");
        assertEquals(0, exit, err.toString());
        assertTrue(out.toString().contains("sslmode=verify-full"), "the display keeps the parameters: " + out);

        try (HikariDataSource pool = PostgresPool.open(PostgresLocation.parse(url, null, name -> null), 1, "tls");
             Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
          r.next();
          assertTrue(r.getBoolean(1), "the connection is encrypted");
        }
        String wrongCa = pg.storeUrl("postgres") + "?sslmode=verify-full&sslrootcert=" + certs.resolve("stranger.pem");
        ExecLogException e = assertThrows(ExecLogException.class,
            () -> PostgresPool.open(PostgresLocation.parse(wrongCa, null, name -> null), 1, "tls-refused").close());
        assertEquals(ErrorReason.STORAGE_FAILURE, e.reason());
        assertTrue(e.getMessage().contains("cannot connect to"), e.getMessage());
      }
    } finally {
      try (Stream<Path> walk = Files.walk(certs)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void selfSigned(Path dir, String name) throws Exception {
    run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-keyout", name + ".key", "-out", name + ".pem", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"), dir);
  }

  private static void run(List<String> command, Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, command + ": " + output);
  }
}
