package dev.execlog.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The comparison runs pgbench against a real cluster and leaves nothing behind. */
class PostgresComparisonTest {

  @Test
  void shortComparison_measuresTransactionsAndRemovesTheCluster() throws Exception {
    Path bin = PostgresComparison.binaries();
    assertNotNull(bin, "PostgreSQL's server binaries with pgbench are installed (Debian: apt-get install postgresql)");
    // The cluster runs as the postgres user, who must be able to enter the work directory.
    Path work = Files.createTempDirectory("execlog-bench-pg-test-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PostgresComparison.Result r = new PostgresComparison(new PrintStream(err, true, StandardCharsets.UTF_8))
        .run(bin, work, 500, 2, 1);
    assertTrue(r.tps() > 0, "transactions per second measured: " + r);
    assertTrue(r.note().contains("synchronous_commit=on"), r.note());
    try (Stream<Path> left = Files.list(work)) {
      assertEquals(0, left.count(), "the cluster's directory is removed");
    }
    Files.delete(work);
  }
}
