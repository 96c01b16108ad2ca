package dev.execlog.server.store;

import dev.execlog.server.json.LogFileCodec;
import dev.execlog.server.json.LogSnapshot;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.LogMetadata;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Where the log is kept: the JSON file with its journal ({@link LogStore}, the default) or a
 * PostgreSQL database. The server chooses one at start; the operations, the validation, the path
 * policy and the gRPC and HTTP layers above are the same for both, so both give the same answers.
 *
 * <p>Every write is durable when it returns. Errors are {@code ExecLogException}s with the reason
 * the client sees; a store that cannot reach its storage throws STORAGE_FAILURE (retryable).
 */
public interface ExecutionStore extends AutoCloseable {

  /** A pass over the whole log (export, validate, cleanup). */
  interface Pass<T> {
    T over(LogSnapshot snapshot) throws IOException;
  }

  // ------------------------------------------------------------------ reads

  /** Runs a query against one consistent state of the log. */
  <T> T read(Function<LogView, T> query);

  /**
   * Runs a pass over the log as it was at one moment, runs in file order, without holding up
   * writers or other readers meanwhile.
   */
  <T> T scan(Pass<T> pass) throws IOException;

  LogInfo info();

  /** The codec of the log's JSON form: exports, imports and the file's timestamps use it. */
  LogFileCodec codec();

  /** False while writes are refused (the store cannot keep its data safe); reads go on. */
  boolean writable();

  /** Called, on a background thread, whenever {@link #writable()} changes. */
  void addWritableListener(Runnable listener);

  /**
   * Subscribes to committed changes. Listeners are called in commit order after the changes are
   * durable: they must only hand the changes on, never block.
   */
  void addChangeListener(Consumer<List<LogChange>> listener);

  void removeChangeListener(Consumer<List<LogChange>> listener);

  /** The store's own numbered history of changes, when it keeps one (see {@link ChangeHistory}). */
  default Optional<ChangeHistory> changeHistory() {
    return Optional.empty();
  }

  // ------------------------------------------------------------------ writes

  /**
   * Records a run. A run whose id is already stored with the same content is returned as it is
   * (a retry; {@code timeGiven} and {@code hostGiven} say whether the time and host take part in
   * the comparison); the same id with other content is RUN_ID_TAKEN.
   */
  RecordOutcome record(Execution run, boolean timeGiven, boolean hostGiven);

  /** Replaces a run with a changed version of itself; RUN_NOT_FOUND names {@code runIdField} when none has the id. */
  Execution update(String runId, String runIdField, UnaryOperator<Execution> change);

  /** Changes the newest run of a task (any status); TASK_HAS_NO_RUN when it has none. */
  Execution updateLatest(String taskId, UnaryOperator<Execution> change);

  /** Removes the run and returns it as it was; RUN_NOT_FOUND when none has the id. */
  Execution delete(String runId);

  /** Removes, all or none, the runs that still exist among the ids; returns the ids removed. */
  List<String> deleteAll(Collection<String> runIds);

  /** Adds, all or none, the runs whose ids are not stored yet; returns how many were added. */
  int merge(List<Execution> runs);

  /** Replaces the whole log, all or nothing. */
  void replace(LogMetadata metadata, List<Execution> runs);

  /** Held while a cleanup or an import changes the log. */
  interface Maintenance extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Claims the log for one cleanup or import: a store that several servers share lets one run at a
   * time and refuses the others with MAINTENANCE_RUNNING. The JSON store has one server, whose
   * single writer applies them one after the other, so it never refuses.
   */
  default Maintenance startMaintenance() {
    return () -> { };
  }

  /**
   * Brings the store's at-rest form up to date with every acknowledged change, for readers of that
   * form: the JSON store folds its journal into the file; a database has nothing to do.
   */
  default void flush() {}

  @Override
  void close();
}
