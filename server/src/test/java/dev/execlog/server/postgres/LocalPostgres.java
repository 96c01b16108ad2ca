package dev.execlog.server.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster on this machine, for tests and the benchmark: a new directory,
 * {@code initdb} with trust authentication for one superuser, a server on a free loopback port
 * (its Unix socket inside the directory), {@code synchronous_commit=on} so that every
 * acknowledged commit survives a crash of the server. {@link #close} stops it and removes the
 * directory.
 *
 * <p>Uses the installed server binaries (Debian: the {@code postgresql} package, which brings
 * {@code postgresql-15}); {@code initdb} refuses to run as root, so as root every server command
 * runs as the {@code postgres} OS user through {@code runuser}. Starting fails with a message that
 * says what is missing; it never skips.
 */
public final class LocalPostgres implements AutoCloseable {

  /** How to start a cluster; {@link #forTests()} and {@link #forBenchmark()} are the two in use. */
  public record Settings(Path parent, String superuser, boolean fsync, int maxConnections, List<String> options) {

    public Settings {
      options = List.copyOf(options);
    }

    /**
     * {@code fsync=off}: an immediate stop kills the server, not the machine, so the page cache
     * keeps what was written and a crash test stays honest; commits stay synchronous.
     */
    public static Settings forTests() {
      return new Settings(Path.of(System.getProperty("java.io.tmpdir")), "execlog", false, 200, List.of());
    }

    /** {@code fsync=on}: every commit durable on disk, as a production server has it. */
    public static Settings forBenchmark() {
      return new Settings(Path.of(System.getProperty("java.io.tmpdir")), "bench", true, 100, List.of());
    }

    public Settings withParent(Path value) {
      return new Settings(value, superuser, fsync, maxConnections, options);
    }

    public Settings withMaxConnections(int value) {
      return new Settings(parent, superuser, fsync, value, options);
    }

    /** One more server setting ({@code ssl}, {@code ssl_cert_file}...); values must hold no space. */
    public Settings withOption(String name, String value) {
      List<String> more = new ArrayList<>(options);
      more.add(name + "=" + value);
      return new Settings(parent, superuser, fsync, maxConnections, more);
    }
  }

  /** The host every cluster listens on: loopback only. */
  public static final String HOST = "127.0.0.1";

  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private final Path bin;
  private final Path dir;
  private final Settings settings;
  private int port;
  private boolean running;

  private LocalPostgres(Path bin, Path dir, Settings settings) {
    this.bin = bin;
    this.dir = dir;
    this.settings = settings;
  }

  /**
   * The newest installed server binaries' directory ({@code /usr/lib/postgresql/N/bin}), or null
   * when none is installed.
   */
  public static Path binaries() {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.map(p -> p.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl"))
              && Files.isExecutable(b.resolve("postgres")))
          .max(Comparator.comparing(b -> majorOf(b.getParent())))
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static int majorOf(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Creates and starts a cluster; fails, saying what to install, when the binaries are missing. */
  public static LocalPostgres start(Settings settings) throws IOException, InterruptedException {
    Path bin = binaries();
    if (bin == null) {
      throw new IOException("PostgreSQL's server binaries are not installed (no /usr/lib/postgresql/*/bin with initdb,"
          + " pg_ctl and postgres); on Debian: apt-get install postgresql");
    }
    if (ROOT) {
      requireTraversable(settings.parent().toAbsolutePath());
    }
    Path dir = Files.createTempDirectory(settings.parent(), "execlog-pg-");
    LocalPostgres pg = new LocalPostgres(bin, dir, settings);
    try {
      if (ROOT) {
        exec(List.of("chown", "postgres:postgres", dir.toString()), false, dir, 60);
      }
      pg.asServerUser(List.of(bin.resolve("initdb").toString(), "-D", pg.data().toString(), "-U",
          settings.superuser(), "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"), 120);
      pg.startServer(true);
      return pg;
    } catch (IOException | InterruptedException | RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  /** The postgres user must reach the cluster's directory: every directory above it needs o+x. */
  private static void requireTraversable(Path parent) throws IOException {
    for (Path p = parent; p != null; p = p.getParent()) {
      if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IOException("the postgres user cannot reach " + parent + ": " + p + " is not traversable by others"
            + " (chmod o+x it, or start the cluster under another directory)");
      }
    }
  }

  /** The major version and directory of the binaries, such as {@code 15}. */
  public String version() {
    return bin.getParent().getFileName().toString();
  }

  public Path bin() {
    return bin;
  }

  public Path directory() {
    return dir;
  }

  public int port() {
    return port;
  }

  public String superuser() {
    return settings.superuser();
  }

  /** A JDBC URL of one database, as the superuser (trust authentication: no password). */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + HOST + ":" + port + "/" + database + "?user=" + settings.superuser();
  }

  /** The {@code --store} location of one database, as the superuser. */
  public String storeUrl(String database) {
    return "postgresql://" + settings.superuser() + "@" + HOST + ":" + port + "/" + database;
  }

  /** Creates an empty database. */
  public void createDatabase(String name) throws IOException, InterruptedException {
    psql("postgres", "CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
  }

  /** Runs SQL through {@code psql} (stops at the first error) and returns what it printed. */
  public String psql(String database, String sql) throws IOException, InterruptedException {
    return asServerUser(List.of(bin.resolve("psql").toString(), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h",
        HOST, "-p", Integer.toString(port), "-U", settings.superuser(), "-d", database, "-c", sql), 600);
  }

  /** Runs a command as the cluster's OS user (postgres when this JVM is root) in its directory. */
  public String asServerUser(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
    return exec(command, ROOT, dir, timeoutSeconds);
  }

  /** Stops the server as a crash would (immediate mode: no checkpoint), keeping its files. */
  public void crash() throws IOException, InterruptedException {
    asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "immediate", "-w", "stop"),
        120);
    running = false;
  }

  /** Starts the server again on the same port after {@link #crash}. */
  public void restart() throws IOException, InterruptedException {
    startServer(false);
  }

  private Path data() {
    return dir.resolve("data");
  }

  private void startServer(boolean newPort) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      if (newPort) {
        try (ServerSocket s = new ServerSocket(0)) {
          port = s.getLocalPort();
        }
      }
      String opts = "-c listen_addresses=" + HOST + " -c port=" + port + " -c unix_socket_directories=" + dir
          + " -c max_connections=" + settings.maxConnections() + " -c fsync=" + (settings.fsync() ? "on" : "off")
          + " -c synchronous_commit=on";
      for (String option : settings.options()) {
        opts += " -c " + option;
      }
      try {
        asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-l",
            dir.resolve("server.log").toString(), "-w", "-t", "60", "-o", opts, "start"), 120);
        running = true;
        return;
      } catch (IOException e) {
        // Another program may have taken the free port meanwhile: one more try on another.
        if (!newPort || attempt == 2) {
          throw new IOException(e.getMessage() + "; server log: " + serverLogTail(), e);
        }
      }
    }
  }

  private String serverLogTail() {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("server.log"));
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(none)";
    }
  }

  @Override
  public void close() {
    if (running) {
      try {
        asServerUser(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString(), "-m", "fast", "-w", "stop"),
            120);
      } catch (IOException e) {
        System.err.println("LocalPostgres: stopping the cluster in " + dir + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      running = false;
    }
    deleteTree(dir);
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("LocalPostgres: cannot remove " + root + ": " + e.getMessage());
    }
  }

  private static String exec(List<String> command, boolean asPostgres, Path dir, long timeoutSeconds)
      throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Path output = Files.createTempFile("execlog-pg-out-", ".txt");
    try {
      Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
      }
      String out = Files.readString(output);
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", full) + " failed (exit " + p.exitValue() + "): " + out.strip());
      }
      return out;
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
