package dev.execlog.server.postgres;

import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * Runs work in one transaction on a pooled connection. A serialization failure or a deadlock
 * (SQLSTATE 40001, 40P01) is retried a few times here before the caller hears of it; a database
 * that cannot be reached or is shutting down becomes STORAGE_FAILURE (UNAVAILABLE: the client may
 * retry the same call, and a record retried with its run id is answered with the stored run). An
 * {@link ExecLogException} thrown by the work rolls back and reaches the caller unchanged.
 */
final class Transactions {

  /** Attempts of a transaction that keeps failing with 40001 or 40P01. */
  static final int ATTEMPTS = 4;

  /** Work inside a transaction. */
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Thrown by work to ask for one more attempt (a row vanished between two statements). */
  static final class Retry extends SQLException {
    Retry(String message) {
      super(message, "40001");
    }
  }

  private final DataSource dataSource;
  private final AtomicLong retried = new AtomicLong();

  Transactions(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A read-write transaction at READ COMMITTED. */
  <T> T write(Work<T> work) {
    return run(work, false);
  }

  /** A read-only transaction at REPEATABLE READ: every statement sees the same snapshot. */
  <T> T read(Work<T> work) {
    return run(work, true);
  }

  private <T> T run(Work<T> work, boolean snapshot) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        // The pool's connections are READ COMMITTED (PostgresPool); a read asks for more as its
        // first statement, which costs less than switching the session back and forth.
        c.setAutoCommit(false);
        if (snapshot) {
          try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
          }
        }
        try {
          T result = work.run(c);
          c.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c);
          throw e;
        }
      } catch (SQLException e) {
        if (retryable(e) && attempt < ATTEMPTS) {
          retried.incrementAndGet();
          continue;
        }
        throw translate(e);
      }
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the pool discards it, and the server rolls the transaction back.
    }
  }

  /** Transactions run again after a serialization failure or a deadlock, since this was made. */
  long retried() {
    return retried.get();
  }

  static boolean retryable(SQLException e) {
    String state = e.getSQLState();
    return "40001".equals(state) || "40P01".equals(state);
  }

  /** The failure as the caller should see it. */
  static ExecLogException translate(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if (state.equals("22021") || state.equals("22P05")) {
      // PostgreSQL's text cannot hold U+0000; the JSON file can, so this store refuses what it cannot keep.
      return ExecLogException.invalid("execution", "holds the character U+0000 (NUL) in a text field, which the"
          + " PostgreSQL store cannot keep; remove it");
    }
    if (e instanceof SQLTransientConnectionException || state.startsWith("08") || state.startsWith("57P")
        || state.startsWith("53") || retryable(e)) {
      return ExecLogException.storage("the database is unavailable (" + state + "): " + e.getMessage(), e);
    }
    return new ExecLogException(ErrorReason.INTERNAL, Map.of(), "database error (" + state + "): " + e.getMessage(), e);
  }
}
