package dev.execlog.bench;

import dev.execlog.server.postgres.LocalPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark on the PostgreSQL store: a throwaway cluster ({@code fsync=on},
 * {@code synchronous_commit=on}) under the work directory, its schema made by the server's own
 * {@code migrate} and the generated log moved in by {@code migrate-log}, as an operator would.
 */
final class PostgresStoreRun implements AutoCloseable {

  private final LocalPostgres cluster;
  private final String url;
  private final double loadSeconds;

  private PostgresStoreRun(LocalPostgres cluster, String url, double loadSeconds) {
    this.cluster = cluster;
    this.url = url;
    this.loadSeconds = loadSeconds;
  }

  /**
   * Starts the cluster in a new directory under {@code clusterParent} (one the postgres user can
   * reach), migrates a new database and moves {@code log} (under {@code root}) into it.
   */
  static PostgresStoreRun start(Path jar, Path root, Path log, Path workDir, Path clusterParent, int connections,
      PrintStream err) throws IOException, InterruptedException {
    LocalPostgres cluster = LocalPostgres.start(LocalPostgres.Settings.forBenchmark().withParent(clusterParent)
        .withMaxConnections(connections + 20));
    try {
      cluster.createDatabase("execlog");
      String url = cluster.storeUrl("execlog");
      server(jar, workDir, err, "migrate", "--store", url, "--root", root.toString());
      err.println("execlog-bench: moving the generated log into PostgreSQL (migrate-log)...");
      long t0 = System.nanoTime();
      server(jar, workDir, err, "migrate-log", "--root", root.toString(), "--from", log.toString(), "--to", url);
      double seconds = (System.nanoTime() - t0) / 1e9;
      err.printf("execlog-bench: moved in %.1f s%n", seconds);
      return new PostgresStoreRun(cluster, url, seconds);
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static void server(Path jar, Path workDir, PrintStream err, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx4g", "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(1, TimeUnit.HOURS) || p.exitValue() != 0) {
      throw new IOException("execlog-server " + args[0] + " failed: " + out.strip());
    }
    err.println("execlog-bench: " + out.strip());
  }

  /** The server's --store value. */
  String url() {
    return url;
  }

  double loadSeconds() {
    return loadSeconds;
  }

  String version() {
    return cluster.version();
  }

  @Override
  public void close() {
    cluster.close();
  }
}
