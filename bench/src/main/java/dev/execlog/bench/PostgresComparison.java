package dev.execlog.bench;

import dev.execlog.server.postgres.LocalPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What users would pick instead: a throwaway PostgreSQL cluster on the same disk, driven by
 * {@code pgbench} with the same number of clients and a transaction shaped like a record (a run
 * row, its two input and three output file rows, its task's counter), {@code fsync=on} and
 * {@code synchronous_commit=on}, so every commit is durable before its answer as a record is.
 * The cluster is the tests' {@link LocalPostgres} (from the server's test jar) with {@code fsync=on}.
 */
final class PostgresComparison {

  /** What one comparison measured. */
  record Result(double tps, String version, String note) {}

  private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\((without initial connection time|excluding)");

  private final PrintStream err;

  PostgresComparison(PrintStream err) {
    this.err = err;
  }

  /** The newest installed server binaries' directory, or null when none is installed. */
  static Path binaries() {
    Path bin = LocalPostgres.binaries();
    return bin != null && Files.isExecutable(bin.resolve("pgbench")) && Files.isExecutable(bin.resolve("psql"))
        ? bin : null;
  }

  /**
   * Starts a cluster in a new directory under {@code workDir}, preloads {@code preload} runs,
   * runs pgbench for {@code seconds} with {@code clients} clients and stops and removes the cluster.
   */
  Result run(Path bin, Path workDir, long preload, int clients, double seconds) throws IOException, InterruptedException {
    try (LocalPostgres pg = LocalPostgres.start(LocalPostgres.Settings.forBenchmark().withParent(workDir)
        .withMaxConnections(clients + 20))) {
      Path dir = pg.directory();
      int port = pg.port();
      List<String> psql = List.of(bin.resolve("psql").toString(), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h",
          LocalPostgres.HOST, "-p", Integer.toString(port), "-U", pg.superuser(), "-d", "postgres", "-f");
      Path schema = dir.resolve("schema.sql");
      Files.writeString(schema, """
          CREATE TABLE tasks (task_id text PRIMARY KEY, runs bigint NOT NULL DEFAULT 0);
          INSERT INTO tasks SELECT 'task-' || i, 0 FROM generate_series(1, 50) i;
          CREATE TABLE runs (run_id uuid PRIMARY KEY, task_id text NOT NULL REFERENCES tasks,
            task_type text NOT NULL, success boolean NOT NULL, start_time timestamptz NOT NULL,
            end_time timestamptz NOT NULL, seconds double precision, hostname text, report_path text);
          CREATE INDEX runs_by_task ON runs (task_id, start_time DESC);
          CREATE TABLE files (run_id uuid NOT NULL REFERENCES runs ON DELETE CASCADE, output boolean NOT NULL,
            path text NOT NULL, hash text, size bigint);
          CREATE INDEX files_by_path ON files (path, output);
          CREATE INDEX files_by_run ON files (run_id);
          INSERT INTO runs SELECT gen_random_uuid(), 'task-' || (1 + mod(i, 50)), 'transform', mod(i, 10) <> 0,
            now() - i * interval '1 second', now() - i * interval '1 second' + interval '3 seconds', 3.0,
            'host-' || mod(i, 7), 'reports/' || i || '.html' FROM generate_series(1, %d) i;
          INSERT INTO files SELECT run_id, o, 'data/stage/' || md5(run_id::text || o::text || k) || '.parquet',
            md5(run_id::text), 4096 FROM runs, (VALUES (false, 1), (false, 2), (true, 1), (true, 2), (true, 3)) v(o, k);
          VACUUM ANALYZE;
          """.formatted(preload));
      List<String> load = new ArrayList<>(psql);
      load.add(schema.toString());
      err.printf("execlog-bench: postgresql: preloading %,d runs...%n", preload);
      pg.asServerUser(load, 3600);
      Path script = dir.resolve("record.sql");
      Files.writeString(script, """
          \\set t random(1, 50)
          BEGIN;
          WITH r AS (INSERT INTO runs VALUES (gen_random_uuid(), 'task-' || :t, 'transform', true, now(),
              now() + interval '3 seconds', 3.0, 'host-1', 'reports/r.html') RETURNING run_id)
            INSERT INTO files SELECT r.run_id, v.o, v.p || md5(random()::text), md5(random()::text), 4096
            FROM r, (VALUES (false, 'data/in/a-'), (false, 'data/in/b-'), (true, 'data/out/x-'),
              (true, 'data/out/y-'), (true, 'data/out/z-')) v(o, p);
          UPDATE tasks SET runs = runs + 1 WHERE task_id = 'task-' || :t;
          COMMIT;
          """);
      err.printf("execlog-bench: postgresql: pgbench with %d clients for %.0f s...%n", clients, seconds);
      String out = pg.asServerUser(List.of(bin.resolve("pgbench").toString(), "-n", "-h", LocalPostgres.HOST, "-p",
          Integer.toString(port), "-U", pg.superuser(), "-c", Integer.toString(clients), "-j", "2", "-T",
          Long.toString(Math.max(1, Math.round(seconds))), "-f", script.toString(), "postgres"),
          (long) seconds + 600);
      Matcher m = TPS.matcher(out);
      if (!m.find()) {
        throw new IOException("pgbench printed no tps: " + out);
      }
      String version = bin.getParent().getFileName().toString();
      return new Result(Double.parseDouble(m.group(1)), version,
          "PostgreSQL " + version + ", fsync=on, synchronous_commit=on, " + clients + " clients, "
              + "record-shaped transaction (run row, 5 file rows, task counter), " + preload + " runs preloaded");
    }
  }
}
