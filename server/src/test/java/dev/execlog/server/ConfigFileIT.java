package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.ListExecutionsRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration file: flag beats environment beats file beats default, and a typo stops the start. */
class ConfigFileIT {

  @TempDir
  Path dir;

  @Test
  void printConfig_groupsEachSettingByWhereItCameFrom() throws Exception {
    Path file = Files.writeString(dir.resolve("server.properties"),
        "# a comment\nport = 7001\nmax-page-size = 50\nlog-level = warn\n");
    Result printed = execute(Map.of("EXECLOG_MAX_PAGE_SIZE", "60"), "--config", file.toString(), "--port", "7002",
        "--print-config");
    assertEquals(0, printed.exit, printed.output);
    String out = printed.output;
    assertTrue(section(out, "from the command line").contains("port = 7002"), out);
    assertTrue(section(out, "from the environment").contains("max-page-size = 60"), out);
    assertTrue(section(out, "from " + file).contains("log-level = warn"), out);
    assertTrue(section(out, "defaults").contains("fold-interval-ms = 1000"), out);
    assertTrue(!out.contains("port = 7001") && !out.contains("max-page-size = 50"), "outranked values are not shown");
  }

  @Test
  void startedWithAFile_usesItsSettings_andSaysWhereTheyCameFrom() throws Exception {
    Path file = Files.writeString(dir.resolve("server.properties"), "max-page-size = 3\n");
    Path root = Files.createDirectories(dir.resolve("project"));
    ServerProcess server = ServerProcess.start(root, "--config", file.toString());
    ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + server.port(), InsecureChannelCredentials.create())
        .build();
    try {
      ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub stub = ExecutionLogServiceGrpc.newBlockingStub(channel);
      for (int i = 0; i < 5; i++) {
        stub.recordExecution(record(run("t_config")));
      }
      assertEquals(3, stub.listExecutions(ListExecutionsRequest.newBuilder().setPageSize(100).build())
          .getExecutionsCount(), "the file's max-page-size caps the page");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.stop();
    }
    assertTrue(server.output().contains("settings from the command line: root, port, port-file; from " + file
        + ": max-page-size"), server.output());
  }

  @Test
  void unknownKey_refusesToStartNamingIt() throws Exception {
    Path file = Files.writeString(dir.resolve("server.properties"), "prot = 7001\n");
    Result refused = execute(Map.of(), "--config", file.toString(), "--root", dir.toString());
    assertEquals(2, refused.exit);
    assertTrue(refused.output.contains("unknown key 'prot'") && refused.output.contains("port"), refused.output);
    assertTrue(!Files.exists(dir.resolve(ServerConfig.DEFAULT_LOG)), "nothing was created");
  }

  private record Result(int exit, String output) {}

  private static Result execute(Map<String, String> environment, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", ServerProcess.jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().keySet().removeIf(k -> k.startsWith("EXECLOG_"));
    builder.environment().putAll(environment);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    return new Result(process.exitValue(), output);
  }

  /** The lines under "# heading" up to the next blank line. */
  private static String section(String text, String heading) {
    int start = text.indexOf("# " + heading + "\n");
    assertTrue(start >= 0, "no section '" + heading + "' in " + text);
    int end = text.indexOf("\n\n", start);
    return text.substring(start, end < 0 ? text.length() : end);
  }
}
