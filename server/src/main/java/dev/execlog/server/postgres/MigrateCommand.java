package dev.execlog.server.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.execlog.server.model.ExecLogException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code execlog-server migrate}: creates or upgrades the schema of a PostgreSQL store and records
 * the project root, then exits. Servers never migrate on their own; they refuse a schema that is
 * not exactly theirs and name this command.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true,
    description = {"Creates or upgrades the schema of a PostgreSQL store to this version's and records the project"
        + " root, which every server on the database must share. Changes nothing else; running it again is"
        + " harmless. Stop the servers on the database before an upgrade.",
        "The password comes from --store-password-file, else EXECLOG_STORE_PASSWORD, else PGPASSWORD (or"
            + " ~/.pgpass), never from the command line. TLS to the database: sslmode, sslrootcert, sslcert and"
            + " sslkey in the URL."},
    footer = {"%nExit codes: 0 migrated (or already current), 1 the database refused or cannot be reached,"
        + " 2 usage error.",
        "%nExamples:",
        "  execlog-server migrate --store postgresql://app@db/log --root /srv/project",
        "  execlog-server migrate --store-password-file db.pw --root /srv/project \\",
        "    --store 'postgresql://app@db/log?sslmode=verify-full&sslrootcert=db-ca.pem'"})
public final class MigrateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--store", required = true, defaultValue = "${env:EXECLOG_STORE}",
      paramLabel = "postgresql://[USER@]HOST[:PORT]/DB[?PARAMS]",
      description = "The database to migrate (EXECLOG_STORE).")
  String store;

  @Mixin
  OfflineStoreOptions options;

  @Override
  public Integer call() {
    OfflineStoreOptions.quiet();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    PostgresLocation location;
    try {
      location = PostgresLocation.parse(store, options.passwordFile());
    } catch (ExecLogException e) {
      err.println("execlog-server migrate: " + e.getMessage());
      return 2;
    }
    Path projectRoot = options.projectRoot();
    try (HikariDataSource pool = PostgresPool.open(location, 2, "execlog-server-migrate")) {
      PostgresSchema.Migration m = new PostgresSchema(pool, location.display()).migrate(projectRoot);
      out.println("execlog-server migrate: " + location.display() + ": schema version "
          + (m.applied() == 0 ? m.toVersion() + ", already current" : m.fromVersion() + " -> " + m.toVersion()
              + " (" + m.applied() + (m.applied() == 1 ? " migration" : " migrations") + " applied)")
          + "; project root " + m.projectRoot());
      out.flush();
      return 0;
    } catch (ExecLogException e) {
      err.println("execlog-server migrate: " + e.getMessage());
      return 1;
    }
  }
}
