package dev.execlog.server.migrate;

import dev.execlog.server.json.LogSnapshot;
import dev.execlog.server.json.Timestamps;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.LogMetadata;
import dev.execlog.server.ops.LogExporter;
import dev.execlog.server.paths.PathPolicy;
import dev.execlog.server.postgres.OfflineStoreOptions;
import dev.execlog.server.postgres.PostgresLocation;
import dev.execlog.server.postgres.PostgresStore;
import dev.execlog.server.store.ExecutionStore;
import dev.execlog.server.store.LogStore;
import dev.execlog.server.store.StoreConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code execlog-server migrate-log}: moves a log between the JSON store and a PostgreSQL store
 * while no server serves either, and proves the copy by comparing the two stores' JSON exports.
 * The destination must be empty (a database fresh from {@code migrate}, or a file that does not
 * exist yet); on any failure it is left as empty as it was, and the source is never changed.
 */
@Command(name = "migrate-log", mixinStandardHelpOptions = true,
    description = {"Copies a log from the JSON store to an empty PostgreSQL store, or back to a new JSON file, then"
        + " checks that both export the same JSON (every run, summary and key but last_modified). Run it with"
        + " every server stopped: the JSON file's lock keeps a running server's log out.",
        "The password comes from --store-password-file, else EXECLOG_STORE_PASSWORD, else PGPASSWORD."},
    footer = {"%nExamples:",
        "  execlog-server migrate --store postgresql://app@db/log --root /srv/project",
        "  execlog-server migrate-log --root /srv/project --from configs/execution_log.json \\",
        "    --to postgresql://app@db/log",
        "  execlog-server migrate-log --root /srv/project --from postgresql://app@db/log --to restored.json"})
public final class MigrateLogCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--from", required = true, paramLabel = "FILE|postgresql://...",
      description = "The log to copy: a JSON log file (relative to --root) or a PostgreSQL store.")
  String from;

  @Option(names = "--to", required = true, paramLabel = "FILE|postgresql://...",
      description = "Where to copy it: an empty PostgreSQL store, or a JSON file that does not exist yet.")
  String to;

  @Mixin
  OfflineStoreOptions options;

  @Override
  public Integer call() {
    OfflineStoreOptions.quiet();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean fromDatabase = PostgresLocation.isPostgres(from);
    boolean toDatabase = PostgresLocation.isPostgres(to);
    if (fromDatabase == toDatabase) {
      err.println("execlog-server migrate-log: one of --from and --to must be a JSON file and the other a"
          + " postgresql:// store");
      return 2;
    }
    Path projectRoot = options.projectRoot();
    try {
      PostgresLocation database = PostgresLocation.parse(fromDatabase ? from : to, options.passwordFile());
      Path file = projectRoot.resolve(fromDatabase ? to : from).normalize();
      Moved moved = fromDatabase ? toFile(database, file, projectRoot) : toDatabase(file, database, projectRoot);
      out.println("execlog-server migrate-log: copied " + moved.runs() + " runs of " + moved.tasks() + " tasks from "
          + (fromDatabase ? database.display() + " to " + file : file + " to " + database.display())
          + "; both export the same JSON (sha256 " + moved.sha256() + ")");
      out.flush();
      return 0;
    } catch (ExecLogException e) {
      err.println("execlog-server migrate-log: " + e.getMessage());
      return 1;
    } catch (IOException | UncheckedIOException e) {
      err.println("execlog-server migrate-log: " + e.getMessage());
      return 1;
    }
  }

  record Moved(long runs, long tasks, String sha256) {}

  private Moved toDatabase(Path file, PostgresLocation database, Path projectRoot) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw ExecLogException.config(file + " is not a log file");
    }
    try (LogStore source = openJson(file, projectRoot);
         PostgresStore target = openDatabase(database, projectRoot)) {
      long present = target.info().executionCount();
      if (present > 0) {
        throw ExecLogException.config(database.display() + " already holds " + present + " runs; migrate-log fills"
            + " an empty store only (a fresh database after `execlog-server migrate`)");
      }
      LogMetadata before = target.scan(LogSnapshot::metadata);
      copy(source, target);
      return verified(source, target, () -> target.replace(before, List.of()));
    }
  }

  private Moved toFile(PostgresLocation database, Path file, Path projectRoot) throws IOException {
    if (Files.exists(file)) {
      throw ExecLogException.config(file + " exists already; migrate-log writes a new file only");
    }
    Files.createDirectories(file.getParent());
    try (PostgresStore source = openDatabase(database, projectRoot)) {
      Path partial = file.resolveSibling(file.getFileName() + ".migrating");
      try {
        writeForced(source, partial);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(partial);
      }
      try (LogStore target = openJson(file, projectRoot)) {
        return verified(source, target, () -> { });
      } catch (RuntimeException | IOException e) {
        removeJsonStore(file);
        throw e;
      }
    }
  }

  /** Compares the exports; when they differ, undoes the copy and says so. */
  private static Moved verified(ExecutionStore source, ExecutionStore target, Runnable undo) throws IOException {
    ExportDigest.Result expected = ExportDigest.of(source);
    ExportDigest.Result actual = ExportDigest.of(target);
    if (!expected.equals(actual)) {
      undo.run();
      throw ExecLogException.storage("the copy does not export the same JSON as the source (sha256 "
          + expected.sha256() + ", " + expected.lines() + " lines, against " + actual.sha256() + ", " + actual.lines()
          + " lines); the destination was emptied again", null);
    }
    var info = target.info();
    return new Moved(info.executionCount(), info.taskCount(), expected.sha256());
  }

  private static void copy(ExecutionStore source, ExecutionStore target) throws IOException {
    source.scan(snapshot -> {
      List<Execution> runs = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, snapshot.executionCount()));
      Set<String> ids = new HashSet<>();
      long repeated = 0;
      for (Execution run : snapshot.executions()) {
        runs.add(run);
        repeated += ids.add(run.runId()) ? 0 : 1;
      }
      if (repeated > 0) {
        throw ExecLogException.config("the log holds " + repeated + " repeated run ids (`execlog validate` names them),"
            + " and a database keeps one run per id: repair the file first");
      }
      target.replace(snapshot.metadata(), runs);
      return null;
    });
  }

  private static void writeForced(ExecutionStore source, Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      new LogExporter(source).exportAll(LogExporter.Format.JSON, Channels.newOutputStream(channel));
      channel.force(true);
    }
  }

  private static LogStore openJson(Path file, Path projectRoot) {
    PathPolicy paths = new PathPolicy(projectRoot, List.of());
    return LogStore.open(new StoreConfig(file, Duration.ofDays(1), Timestamps.systemDefault(),
        StoreConfig.localHostname()), paths::indexKey);
  }

  private static PostgresStore openDatabase(PostgresLocation database, Path projectRoot) {
    PathPolicy paths = new PathPolicy(projectRoot, List.of());
    return PostgresStore.open(database, projectRoot, paths::indexKey, Timestamps.systemDefault(), 2);
  }

  /** Removes a JSON store this command created: the file and the lock and journal files beside it. */
  private static void removeJsonStore(Path file) throws IOException {
    try (var siblings = Files.list(file.getParent())) {
      for (Path p : siblings.filter(p -> p.getFileName().toString().contains(file.getFileName().toString()))
          .toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
