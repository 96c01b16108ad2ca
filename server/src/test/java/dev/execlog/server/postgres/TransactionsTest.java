package dev.execlog.server.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.zaxxer.hikari.HikariDataSource;
import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Retries of 40001/40P01, rollback on a refusal, and what callers see when retries run out. */
class TransactionsTest {

  private static HikariDataSource pool;

  @BeforeAll
  static void database() throws Exception {
    pool = SharedPostgres.pool(SharedPostgres.newDatabase("tx"), 2);
    new Transactions(pool).write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE t (v int)");
      }
      return null;
    });
  }

  @AfterAll
  static void close() {
    pool.close();
  }

  private static int rows(Transactions tx) {
    return tx.read(c -> {
      try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT count(*) FROM t")) {
        r.next();
        return r.getInt(1);
      }
    });
  }

  @Test
  void serializationFailure_isRetried_andItsWritesRolledBack() {
    Transactions tx = new Transactions(pool);
    int before = rows(tx);
    AtomicInteger attempts = new AtomicInteger();
    int result = tx.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO t VALUES (1)");
      }
      if (attempts.incrementAndGet() < 3) {
        throw new Transactions.Retry("try again");
      }
      return 42;
    });
    assertEquals(42, result);
    assertEquals(3, attempts.get());
    assertEquals(2, tx.retried());
    assertEquals(before + 1, rows(tx), "the failed attempts left nothing");
  }

  @Test
  void retriesRunOut_storageFailureForTheCaller() {
    Transactions tx = new Transactions(pool);
    ExecLogException e = assertThrows(ExecLogException.class, () -> tx.write(c -> {
      throw new Transactions.Retry("always");
    }));
    assertEquals(ErrorReason.STORAGE_FAILURE, e.reason());
    assertEquals(Transactions.ATTEMPTS - 1, tx.retried());
  }

  @Test
  void refusalInsideTheWork_rollsBackAndReachesTheCallerUnchanged() {
    Transactions tx = new Transactions(pool);
    int before = rows(tx);
    ExecLogException refusal = ExecLogException.invalid("x", "no");
    ExecLogException e = assertThrows(ExecLogException.class, () -> tx.write(c -> {
      try (Statement s = c.createStatement()) {
        s.execute("INSERT INTO t VALUES (2)");
      }
      throw refusal;
    }));
    assertEquals(refusal, e);
    assertEquals(before, rows(tx));
    assertEquals(0, tx.retried());
  }

  @Test
  void readTransaction_isReadOnly() {
    Transactions tx = new Transactions(pool);
    ExecLogException e = assertThrows(ExecLogException.class, () -> tx.read(c -> {
      try (Statement s = c.createStatement()) {
        return s.execute("INSERT INTO t VALUES (3)");
      }
    }));
    assertEquals(ErrorReason.INTERNAL, e.reason(), e.getMessage());
  }
}
