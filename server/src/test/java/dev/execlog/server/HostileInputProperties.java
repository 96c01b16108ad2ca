package dev.execlog.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.server.model.ExecLogException;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.ImportMode;
import dev.execlog.v1.ListExecutionsRequest;
import dev.execlog.v1.ListExecutionsResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random and mutated log files and import streams: the server never crashes, never takes a broken
 * file for a log, and never loses what it had.
 */
class HostileInputProperties {

  /** A valid log of a few runs in the spec's format. */
  static String validLog(int runs, long seed) {
    Random random = new Random(seed);
    StringBuilder b = new StringBuilder("{\n  \"tasks\": {},\n  \"executions\": [\n");
    for (int i = 0; i < runs; i++) {
      b.append(i == 0 ? "" : ",\n").append("    {\"task_id\": \"t_").append(random.nextInt(5))
          .append("\", \"task_type\": \"profiling\", \"task_run_id\": \"").append(new UUID(seed, i))
          .append("\", \"timestamp\": \"2026-0").append(1 + random.nextInt(9)).append("-1").append(random.nextInt(10))
          .append("T12:00:00+00:00\", \"success\": ").append(random.nextBoolean())
          .append(", \"execution_time\": ").append(random.nextInt(1000) / 10.0)
          .append(", \"report_path\": \"DATA/reports/r").append(i).append(".json\", \"input_files\": [{\"name\": \"in\",")
          .append(" \"path\": \"DATA/in/").append(i).append(".csv\"}], \"output_files\": [{\"path\": \"DATA/out/")
          .append(i).append(".csv\", \"type\": \"csv\", \"description\": \"d\"}], \"hostname\": \"h\"}");
    }
    return b.append("\n  ],\n  \"timestamp\": \"2026-01-01T00:00:00+00:00\",\n  \"version\": \"1.0.0\"\n}\n").toString();
  }

  /** Damage done to a text: cut it, drop or repeat a slice, put in random bytes, swap characters. */
  @Provide
  Arbitrary<String> mutatedLogs() {
    Arbitrary<String> base = Arbitraries.integers().between(0, 6).flatMap(n ->
        Arbitraries.longs().map(seed -> validLog(n, seed)));
    return Combinators.combine(base, Arbitraries.integers().between(0, 5), Arbitraries.doubles().between(0, 1),
            Arbitraries.doubles().between(0, 1), Arbitraries.strings().ofMaxLength(8))
        .as((text, kind, a, b, junk) -> mutate(text, kind, a, b, junk));
  }

  static String mutate(String text, int kind, double a, double b, String junk) {
    int i = (int) (a * text.length());
    int j = Math.min(text.length(), i + 1 + (int) (b * 40));
    return switch (kind) {
      case 0 -> text.substring(0, i);
      case 1 -> text.substring(0, i) + text.substring(j);
      case 2 -> text.substring(0, i) + junk + text.substring(i);
      case 3 -> text.substring(0, j) + text.substring(i, j) + text.substring(j);
      case 4 -> text.replace("true", junk.isEmpty() ? "\"yes\"" : junk);
      default -> text.substring(0, i) + "\u0000\"]}" + text.substring(i);
    };
  }

  @Property(tries = 60)
  void mutatedLogFileAtStartup_isRefusedUntouchedOrLoadedWithoutLosingRuns(@ForAll("mutatedLogs") String text)
      throws Exception {
    Path root = Files.createTempDirectory("execlog-prop-");
    try {
      Path log = root.resolve(ServerConfig.DEFAULT_LOG);
      Files.createDirectories(log.getParent());
      Files.writeString(log, text);
      byte[] before = Files.readAllBytes(log);
      ServerConfig config = ServerConfig.forProject(root);
      Set<String> firstLoad;
      try (Running server = Running.start(config)) {
        firstLoad = server.runIds();
      } catch (ExecLogException refused) {
        assertEquals(ExecLogException.Kind.FAILED_PRECONDITION, refused.kind(), refused.getMessage());
        assertArrayEquals(before, Files.readAllBytes(log), "a refused file is left as it was");
        return;
      }
      try (Running again = Running.start(config)) {
        assertEquals(firstLoad, again.runIds(), "what was loaded is still there after a restart");
      }
    } finally {
      delete(root);
    }
  }

  @Provide
  Arbitrary<String> hostileImports() {
    return Arbitraries.oneOf(mutatedLogs(), Arbitraries.strings().ofMaxLength(200),
        Arbitraries.strings().withChars("{}[]\":,0123456789tfnul ").ofMaxLength(120));
  }

  @Property(tries = 120)
  void hostileImport_isAppliedWholeOrRejectedAsInvalidWithTheLogUnchanged(@ForAll("hostileImports") String text,
      @ForAll boolean replace) throws Exception {
    Path root = Files.createTempDirectory("execlog-prop-import-");
    try (Running server = Running.start(ServerConfig.forProject(root))) {
      server.importText(validLog(3, 7), true);
      server.server.store().flush();
      Set<String> before = server.runIds();
      byte[] fileBefore = Files.readAllBytes(Path.of(server.server.store().info().location()));
      try {
        server.importText(text, replace);
        Set<String> after = server.runIds();
        assertTrue(replace || after.containsAll(before), "a merge never drops runs");
      } catch (StatusRuntimeException e) {
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().toString());
        assertEquals(before, server.runIds());
        server.server.store().flush();
        assertArrayEquals(fileBefore, Files.readAllBytes(Path.of(server.server.store().info().location())));
      }
    } finally {
      delete(root);
    }
  }

  private static void delete(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** A server on the in-process transport for one try. */
  private record Running(ExecLogServer server, ManagedChannel channel, ExecutorService executor)
      implements AutoCloseable {

    static Running start(ServerConfig config) throws Exception {
      String name = InProcessServerBuilder.generateName();
      ExecutorService executor = Executors.newFixedThreadPool(2);
      try {
        ExecLogServer server = ExecLogServer.start(config, InProcessServerBuilder.forName(name).executor(executor));
        return new Running(server, InProcessChannelBuilder.forName(name).build(), executor);
      } catch (RuntimeException e) {
        executor.shutdownNow();
        throw e;
      }
    }

    Set<String> runIds() {
      Set<String> ids = new HashSet<>();
      String token = "";
      do {
        ListExecutionsResponse page = ExecutionLogServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(10, TimeUnit.SECONDS)
            .listExecutions(ListExecutionsRequest.newBuilder().setPageSize(1000).setPageToken(token).build());
        page.getExecutionsList().forEach(e -> ids.add(e.getRunId()));
        token = page.getNextPageToken();
      } while (!token.isEmpty());
      return ids;
    }

    void importText(String text, boolean replace) throws Exception {
      StreamCalls.importLog(ExecutionLogServiceGrpc.newStub(channel), text,
          replace ? ImportMode.IMPORT_MODE_REPLACE : ImportMode.IMPORT_MODE_MERGE);
    }

    @Override
    public void close() {
      channel.shutdownNow();
      server.close();
      executor.shutdownNow();
    }
  }
}
