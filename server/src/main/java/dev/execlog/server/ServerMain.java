package dev.execlog.server;

import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.ops.Limits;
import io.grpc.InsecureServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code execlog-server} command: serves one execution log over gRPC until stopped. */
@Command(name = "execlog-server", mixinStandardHelpOptions = true, version = ExecLogServer.VERSION,
    description = "Serves the execution log of a project over gRPC.%n"
        + "Every option can also be set by the environment variable shown.",
    footer = {"%nExample:%n  execlog-server --root . --port 50051"})
public final class ServerMain implements Callable<Integer> {

  @Option(names = "--root", defaultValue = "${env:EXECLOG_ROOT:-.}",
      description = "Project root; recorded paths are relative to it (EXECLOG_ROOT, default: current directory).")
  Path root;

  @Option(names = "--log", defaultValue = "${env:EXECLOG_LOG}",
      description = "Log file (EXECLOG_LOG, default: <root>/" + ServerConfig.DEFAULT_LOG + ").")
  Path log;

  @Option(names = "--host", defaultValue = "${env:EXECLOG_HOST:-127.0.0.1}",
      description = "Address to listen on (EXECLOG_HOST, default: ${DEFAULT-VALUE}, loopback only).")
  String host;

  @Option(names = "--port", defaultValue = "${env:EXECLOG_PORT:-50051}",
      description = "Port; 0 picks a free one (EXECLOG_PORT, default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--port-file", defaultValue = "${env:EXECLOG_PORT_FILE}",
      description = "Write the port actually bound to this file once serving (EXECLOG_PORT_FILE).")
  Path portFile;

  @Option(names = "--allowed-root", split = ",", defaultValue = "${env:EXECLOG_ALLOWED_ROOTS}",
      description = "Absolute directory outside the project that recorded paths may name; repeatable "
          + "(EXECLOG_ALLOWED_ROOTS, comma-separated).")
  List<Path> allowedRoots = new ArrayList<>();

  @Option(names = "--fold-interval-ms", defaultValue = "${env:EXECLOG_FOLD_INTERVAL_MS:-1000}",
      description = "Longest time a change waits in the journal before the log file shows it "
          + "(EXECLOG_FOLD_INTERVAL_MS, default: ${DEFAULT-VALUE}).")
  long foldIntervalMs;

  @Option(names = "--max-files-per-run", defaultValue = "${env:EXECLOG_MAX_FILES_PER_RUN:-1000}",
      description = "Input or output files one run may list (default: ${DEFAULT-VALUE}).")
  int maxFilesPerRun;

  @Option(names = "--max-page-size", defaultValue = "${env:EXECLOG_MAX_PAGE_SIZE:-1000}",
      description = "Largest page a List call returns (default: ${DEFAULT-VALUE}).")
  int maxPageSize;

  @Option(names = "--max-import-bytes", defaultValue = "${env:EXECLOG_MAX_IMPORT_BYTES:-2147483648}",
      description = "Largest file an import accepts (default: ${DEFAULT-VALUE}).")
  long maxImportBytes;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ServerMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path projectRoot = root.toAbsolutePath().normalize();
    Path logFile = log != null ? projectRoot.resolve(log).normalize() : projectRoot.resolve(ServerConfig.DEFAULT_LOG);
    List<Path> allowed = allowedRoots == null ? List.of()
        : allowedRoots.stream().filter(p -> !p.toString().isBlank()).toList();
    ServerConfig config = new ServerConfig(projectRoot, logFile, allowed, Duration.ofMillis(foldIntervalMs),
        new Limits(maxFilesPerRun, maxPageSize, maxImportBytes));
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, port),
        InsecureServerCredentials.create());
    ExecLogServer server;
    try {
      server = ExecLogServer.start(config, builder);
    } catch (ExecLogException e) {
      System.err.println("execlog-server: " + e.getMessage());
      return 1;
    } catch (java.io.IOException e) {
      System.err.println("execlog-server: cannot listen on " + host + ":" + port + ": " + e.getMessage());
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "execlog-shutdown"));
    if (portFile != null) {
      Path tmp = Path.of(portFile + ".tmp");
      Files.writeString(tmp, Integer.toString(server.port()));
      Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    System.err.println("execlog-server " + ExecLogServer.VERSION + " serving " + logFile + " on " + host + ":"
        + server.port() + "");
    server.awaitTermination();
    return 0;
  }
}
