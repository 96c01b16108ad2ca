package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.cli.CliServerExtension.Result;
import dev.execlog.cli.CliServerExtension.Running;
import dev.execlog.client.ConnectionOptions;
import dev.execlog.client.ExecLogClientException;
import dev.execlog.server.RawCalls;
import dev.execlog.client.ExecutionLogClient;
import dev.execlog.client.ExecutionWatch;
import dev.execlog.client.ProgressListener;
import dev.execlog.client.TestCertificates;
import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.ImportSettings;
import dev.execlog.client.model.LineageQuery;
import dev.execlog.client.model.NewRun;
import dev.execlog.client.model.Page;
import dev.execlog.client.model.Run;
import dev.execlog.client.model.WatchFilter;
import dev.execlog.server.ExecLogServer;
import dev.execlog.server.ServerConfig;
import dev.execlog.server.ops.Limits;
import dev.execlog.server.security.AuthConfig;
import dev.execlog.server.security.TransportSecurity;
import dev.execlog.v1.ErrorReason;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.GetExecutionRequest;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

/**
 * Every reason of {@code execlog.v1.ErrorReason} the server can be made to send, provoked against
 * a real server and read through the Java client (code, reason, typed reason, field, metadata) and
 * through the CLI (exit code, the hint naming the metadata, and the reason --verbose prints).
 * {@link #everyReason_isWalkedHereOrSaysWhyNot()} keeps the list complete: a reason a client cannot
 * provoke says why, and {@link FailuresTest} covers how the CLI reads it.
 */
class ErrorReasonWalkTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** The test method that walks each reason. */
  static final Map<ErrorReason, String> WALKED = Map.ofEntries(
      Map.entry(ErrorReason.INVALID_FIELD, "invalidField_emptyTaskId"),
      Map.entry(ErrorReason.PATH_OUTSIDE_ROOT, "pathOutsideRoot_reportPathWithDotDot"),
      Map.entry(ErrorReason.INVALID_PAGE_TOKEN, "invalidPageToken_tokenOfAnotherTask"),
      Map.entry(ErrorReason.UNPARSABLE_REQUEST, "unparsableRequest_malformedUtf8"),
      Map.entry(ErrorReason.RUN_TOO_LARGE, "runTooLarge_300InputsOf4000Characters"),
      Map.entry(ErrorReason.RUN_NOT_FOUND, "runNotFound_unknownId"),
      Map.entry(ErrorReason.TASK_HAS_NO_RUN, "taskHasNoRun_taskThatNeverRan"),
      Map.entry(ErrorReason.PRODUCER_NOT_FOUND, "producerNotFound_unrecordedPath"),
      Map.entry(ErrorReason.RUN_ID_TAKEN, "runIdTaken_idOfAnotherTasksRun"),
      Map.entry(ErrorReason.MESSAGE_TOO_LARGE, "messageTooLarge_compressedRequestInflatedOverTheLimit"),
      Map.entry(ErrorReason.IMPORT_TOO_LARGE, "importTooLarge_fileOverTheLimit"),
      Map.entry(ErrorReason.RESPONSE_TOO_LARGE, "responseTooLarge_dependenciesWithHeavyRuns"),
      Map.entry(ErrorReason.WATCH_LAGGED, "watchLagged_readerTooSlow"),
      Map.entry(ErrorReason.SHUTTING_DOWN, "shuttingDown_watchWhileTheServerStops"),
      Map.entry(ErrorReason.UNAUTHENTICATED, "unauthenticatedAndRoleTooLow_tokens"),
      Map.entry(ErrorReason.ROLE_TOO_LOW, "unauthenticatedAndRoleTooLow_tokens"));

  /** Reasons no client can make the server send, and why. */
  static final Map<ErrorReason, String> NOT_PROVOKED = Map.of(
      ErrorReason.DISK_FULL, "needs the server's disk to fill up",
      ErrorReason.STORAGE_FAILURE, "needs the server's file system to fail a read or write",
      ErrorReason.INTERNAL, "needs a defect in the server",
      ErrorReason.LOG_IN_USE, "needs another process to take the log's lock from under the server"
          + " (StolenLockIT and StoreReadinessTest in the server provoke it)",
      ErrorReason.MAINTENANCE_RUNNING, "needs a cleanup or import running through another server of a PostgreSQL"
          + " store (PostgresMaintenanceLockTest in the server provokes it)",
      ErrorReason.OPERATION_CANCELLED, "is sent when the caller has gone: a client sees its own CANCELLED or"
          + " DEADLINE_EXCEEDED instead");

  @Test
  void everyReason_isWalkedHereOrSaysWhyNot() {
    Set<ErrorReason> all = EnumSet.allOf(ErrorReason.class);
    all.removeAll(List.of(ErrorReason.ERROR_REASON_UNSPECIFIED, ErrorReason.UNRECOGNIZED));
    Set<ErrorReason> listed = EnumSet.noneOf(ErrorReason.class);
    listed.addAll(WALKED.keySet());
    listed.addAll(NOT_PROVOKED.keySet());
    assertEquals(all, listed);
    Set<String> methods = Stream.of(ErrorReasonWalkTest.class.getDeclaredClasses())
        .flatMap(c -> Arrays.stream(c.getDeclaredMethods()))
        .filter(m -> m.isAnnotationPresent(Test.class)).map(Method::getName).collect(Collectors.toSet());
    assertTrue(methods.containsAll(WALKED.values()), "a walk without its test: " + WALKED.values());
  }

  // ------------------------------------------------------------------ helpers

  private static ExecLogClientException fails(Executable call) {
    return assertThrows(ExecLogClientException.class, call);
  }

  /** The client's view: code, reason as sent and as the enum, field, and the whole metadata. */
  private static void assertReason(ExecLogClientException e, Status.Code code, ErrorReason reason, String field,
      Map<String, String> metadata) {
    assertEquals(code, e.code(), e::getMessage);
    assertEquals(reason.name(), e.reason(), e::getMessage);
    assertEquals(reason, e.errorReason());
    assertEquals(field, e.field());
    assertEquals(metadata, e.metadata());
  }

  /** The CLI's view: exit code, the hint line with each of {@code inHint}, and --verbose naming the reason. */
  private static void assertCli(Result r, ExitCode exit, ErrorReason reason, String... inHint) {
    assertEquals(exit.code(), r.exitCode(), r.err());
    String hint = r.err().lines().filter(l -> l.startsWith("hint: ")).findFirst()
        .orElseThrow(() -> new AssertionError("no hint: " + r.err()));
    for (String part : inHint) {
      assertTrue(hint.contains(part), "the hint does not say '" + part + "': " + hint);
    }
    assertTrue(r.err().contains(", reason " + reason.name()), "--verbose names the reason: " + r.err());
  }

  /** A path of exactly {@code length} characters, distinct for each {@code i}, with a short file name. */
  private static String longPath(int i, int length) {
    String tail = "/f" + i + ".csv";
    String head = "in/" + i + "/";
    return head + "d".repeat(length - head.length() - tail.length()) + tail;
  }

  // ------------------------------------------------------------------ walks

  @Nested
  class OnADefaultServer {

    @RegisterExtension
    final CliServerExtension cli = new CliServerExtension();

    ExecutionLogClient client;

    @BeforeEach
    void connect() {
      client = ExecutionLogClient.connect(cli.address());
    }

    @AfterEach
    void close() {
      client.close();
    }

    @Test
    void invalidField_emptyTaskId() {
      ExecLogClientException e = fails(() -> client.record(NewRun.builder("", "ingestion").build()));

      assertReason(e, Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_FIELD, "execution.task_id",
          Map.of("field", "execution.task_id"));
      assertTrue(e.getMessage().startsWith("execution.task_id: "), e.getMessage());

      Result r = cli.run("record", "--task", "", "--type", "ingestion", "--verbose");
      assertEquals(ExitCode.ERROR.code(), r.exitCode(), r.err());
      String line = r.err().lines().filter(l -> l.startsWith("execlog: record")).findFirst().orElseThrow();
      assertTrue(line.endsWith(": " + e.getMessage()), "the message as sent: " + line);
      assertFalse(r.err().contains("hint: "), "the message says it all: " + r.err());
      assertTrue(r.err().contains(", reason INVALID_FIELD, field execution.task_id"), r.err());
    }

    @Test
    void pathOutsideRoot_reportPathWithDotDot() {
      ExecLogClientException e = fails(() -> client.record(NewRun.builder("t_p", "ingestion").reportPath("../x").build()));

      assertReason(e, Status.Code.INVALID_ARGUMENT, ErrorReason.PATH_OUTSIDE_ROOT, "execution.report_path",
          Map.of("field", "execution.report_path", "path", "../x"));

      Result r = cli.run("record", "--task", "t_p", "--type", "ingestion", "--report", "../x", "--verbose");
      assertCli(r, ExitCode.ERROR, ErrorReason.PATH_OUTSIDE_ROOT, "'../x' is outside the project root");
      assertTrue(r.err().contains("\nexeclog: record a run of t_p: " + e.getMessage() + "\n"), r.err());
    }

    @Test
    void invalidPageToken_tokenOfAnotherTask() {
      client.record(NewRun.builder("t_a", "ingestion").build());
      client.record(NewRun.builder("t_a", "ingestion").build());
      Page<Run> first = client.listExecutions(HistoryQuery.task("t_a"), 1, "");
      assertTrue(first.hasNext());

      ExecLogClientException e = fails(() -> client.listExecutions(HistoryQuery.task("t_b"), 1, first.nextPageToken()));

      assertReason(e, Status.Code.INVALID_ARGUMENT, ErrorReason.INVALID_PAGE_TOKEN, "page_token",
          Map.of("field", "page_token"));
      // the CLI follows its own page tokens and takes none from the user: nothing to walk there
    }

    @Test
    void unparsableRequest_malformedUtf8() throws Exception {
      // the client never sends malformed UTF-8, so a raw call does: GetExecution with run_id = C3 28
      String method = ExecutionLogServiceGrpc.getGetExecutionMethod().getFullMethodName();
      ManagedChannel channel = Grpc.newChannelBuilder(cli.address(), InsecureChannelCredentials.create()).build();
      try {
        StatusRuntimeException sre = assertThrows(StatusRuntimeException.class, () -> RawCalls.unary(
            channel, ExecutionLogServiceGrpc.getGetExecutionMethod(), new byte[] {0x0A, 0x02, (byte) 0xC3, 0x28}));
        assertReason(ExecLogClientException.from(sre), Status.Code.INVALID_ARGUMENT, ErrorReason.UNPARSABLE_REQUEST, "",
            Map.of("method", method));
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      // the CLI only sends what protobuf-java encodes: see FailuresTest for how it reads this reason
    }

    @Test
    void messageTooLarge_compressedRequestInflatedOverTheLimit() throws Exception {
      // the client does not compress requests, so a raw stub does: 5 MB of one letter is a few KB gzipped
      ManagedChannel channel = Grpc.newChannelBuilder(cli.address(), InsecureChannelCredentials.create()).build();
      try {
        StatusRuntimeException sre = assertThrows(StatusRuntimeException.class, () -> ExecutionLogServiceGrpc
            .newBlockingStub(channel).withCompression("gzip").withDeadlineAfter(10, TimeUnit.SECONDS)
            .getExecution(GetExecutionRequest.newBuilder().setRunId("a".repeat(5_000_000)).build()));
        assertReason(ExecLogClientException.from(sre), Status.Code.RESOURCE_EXHAUSTED, ErrorReason.MESSAGE_TOO_LARGE, "",
            Map.of("limit", Integer.toString(4 * 1024 * 1024)));
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }

    @Test
    void runTooLarge_300InputsOf4000Characters() {
      NewRun.Builder heavy = NewRun.builder("t_heavy", "ingestion");
      List<String> args = new ArrayList<>(List.of("--task", "t_heavy", "--type", "ingestion", "--verbose"));
      for (int i = 0; i < 300; i++) {
        heavy.input("in" + i, longPath(i, 4000));
        args.addAll(List.of("--input", longPath(i, 4000)));
      }
      String limit = Integer.toString(Limits.DEFAULT_MAX_RUN_BYTES);

      ExecLogClientException e = fails(() -> client.record(heavy.build()));

      assertReason(e, Status.Code.INVALID_ARGUMENT, ErrorReason.RUN_TOO_LARGE, "execution",
          Map.of("field", "execution", "limit", limit));

      Result r = cli.run("record", args.toArray(String[]::new));
      assertCli(r, ExitCode.ERROR, ErrorReason.RUN_TOO_LARGE, "at most " + limit + " bytes");
    }

    @Test
    void runNotFound_unknownId() {
      String id = UUID.randomUUID().toString();

      ExecLogClientException e = fails(() -> client.get(id));

      assertReason(e, Status.Code.NOT_FOUND, ErrorReason.RUN_NOT_FOUND, "run_id", Map.of("field", "run_id", "run_id", id));

      Result r = cli.run("show", id, "--verbose");
      assertCli(r, ExitCode.NOT_FOUND, ErrorReason.RUN_NOT_FOUND, "no run has id " + id);
      assertTrue(r.err().contains("\nexeclog: show run " + id + ": " + e.getMessage() + "\n"), r.err());
    }

    @Test
    void taskHasNoRun_taskThatNeverRan() {
      assertTrue(client.latest("t_never", true).isEmpty(), "latest() answers 'none' with an empty Optional");

      ExecLogClientException e = fails(() -> client.trackInputs("t_never", List.of("in/a.csv")));

      assertReason(e, Status.Code.NOT_FOUND, ErrorReason.TASK_HAS_NO_RUN, "task_id",
          Map.of("field", "task_id", "task_id", "t_never"));
      ExecLogClientException lineage = fails(() -> client.lineage(LineageQuery.ofTask("t_never")));
      assertReason(lineage, Status.Code.NOT_FOUND, ErrorReason.TASK_HAS_NO_RUN, "task_id",
          Map.of("field", "task_id", "task_id", "t_never"));

      Result r = cli.run("track-inputs", "t_never", "in/a.csv", "--verbose");
      assertCli(r, ExitCode.NOT_FOUND, ErrorReason.TASK_HAS_NO_RUN, "task t_never has no recorded run");
      Result latest = cli.run("latest", "t_never");
      assertEquals(ExitCode.NOT_FOUND.code(), latest.exitCode(), latest.err());
    }

    @Test
    void producerNotFound_unrecordedPath() {
      assertTrue(client.producer("out/none.csv").isEmpty(), "producer() answers 'none' with an empty Optional");

      ExecLogClientException e = fails(() -> client.lineage(LineageQuery.ofPath("./out//none.csv")));

      assertReason(e, Status.Code.NOT_FOUND, ErrorReason.PRODUCER_NOT_FOUND, "path",
          Map.of("field", "path", "path", "out/none.csv"));

      Result r = cli.run("lineage", "--path", "./out//none.csv", "--verbose");
      assertCli(r, ExitCode.NOT_FOUND, ErrorReason.PRODUCER_NOT_FOUND, "no recorded run lists out/none.csv");
      Result producer = cli.run("producer", "out/none.csv");
      assertEquals(ExitCode.NOT_FOUND.code(), producer.exitCode(), producer.err());
    }

    @Test
    void runIdTaken_idOfAnotherTasksRun() {
      String id = client.record(NewRun.builder("t_first", "ingestion").build()).runId();

      ExecLogClientException e = fails(() -> client.record(NewRun.builder("t_second", "ingestion").runId(id).build()));

      assertReason(e, Status.Code.ALREADY_EXISTS, ErrorReason.RUN_ID_TAKEN, "execution.run_id",
          Map.of("field", "execution.run_id", "run_id", id));

      Result r = cli.run("record", "--task", "t_third", "--type", "ingestion", "--run-id", id, "--verbose");
      assertCli(r, ExitCode.ERROR, ErrorReason.RUN_ID_TAKEN, "run id " + id + " belongs to a different run");
    }

    @Test
    void responseTooLarge_dependenciesWithHeavyRuns() {
      List<String> tasks = new ArrayList<>();
      for (int t = 0; t < 5; t++) { // five runs of about 900 KB: together over the 3 MiB one answer may carry
        NewRun.Builder run = NewRun.builder("t_dep" + t, "ingestion");
        for (int i = 0; i < 900; i++) {
          run.input("in" + i, longPath(i, 1000));
        }
        client.record(run.build());
        tasks.add("t_dep" + t);
      }
      String limit = Integer.toString(3 * 1024 * 1024);

      ExecLogClientException e = fails(() -> client.checkDependencies(tasks));

      assertReason(e, Status.Code.RESOURCE_EXHAUSTED, ErrorReason.RESPONSE_TOO_LARGE, "task_ids",
          Map.of("field", "task_ids", "limit", limit));

      List<String> args = new ArrayList<>(tasks);
      args.add("--verbose");
      Result r = cli.run("deps", args.toArray(String[]::new));
      assertCli(r, ExitCode.ERROR, ErrorReason.RESPONSE_TOO_LARGE, "at most " + limit + " bytes");
    }

    @Test
    void shuttingDown_watchWhileTheServerStops() throws Exception {
      ExecutionWatch watch = client.watch(WatchFilter.all());
      Running running = cli.start("watch", "--verbose");
      running.awaitErr("watching changes after #", WAIT);

      cli.stopServer();

      ExecLogClientException e = fails(watch::hasNext);
      assertReason(e, Status.Code.UNAVAILABLE, ErrorReason.SHUTTING_DOWN, "", Map.of());
      watch.close();
      Result r = running.await(WAIT);
      assertCli(r, ExitCode.UNAVAILABLE, ErrorReason.SHUTTING_DOWN, "is stopping");
      assertTrue(r.err().contains("execlog: watch the log: " + e.getMessage()), "not 'cannot reach': " + r.err());
    }
  }

  @Nested
  class WithATinyImportLimit {

    @RegisterExtension
    final CliServerExtension cli = new CliServerExtension(0, c -> c.withLimits(new Limits(1000, 1000, 1024)));

    @Test
    void importTooLarge_fileOverTheLimit() throws Exception {
      byte[] file = ("{\"executions\": [" + " ".repeat(4096) + "]}").getBytes(StandardCharsets.UTF_8);
      try (ExecutionLogClient client = ExecutionLogClient.connect(cli.address())) {
        ExecLogClientException e = fails(() -> client.importLog(new ByteArrayInputStream(file), ImportSettings.merging(),
            ProgressListener.NONE));

        assertReason(e, Status.Code.RESOURCE_EXHAUSTED, ErrorReason.IMPORT_TOO_LARGE, "chunk",
            Map.of("field", "chunk", "limit", "1024"));
      }

      Path path = cli.root().resolve("big.json");
      Files.write(path, file);
      Result r = cli.run("import", path.toString(), "--verbose");
      assertCli(r, ExitCode.ERROR, ErrorReason.IMPORT_TOO_LARGE, "at most 1024 bytes");
    }
  }

  @Nested
  class WithASmallWatchQueue {

    private static final int RUNS = 36;

    @RegisterExtension
    final CliServerExtension cli = new CliServerExtension(2);

    @Test
    void watchLagged_readerTooSlow() throws Exception {
      StalledWriter stdout = new StalledWriter();
      Running running = cli.start(stdout, "watch", "--task", "t_big", "--json", "--verbose");
      running.awaitErr("watching changes after #", WAIT);
      try (ExecutionLogClient client = ExecutionLogClient.connect(cli.address());
          ExecutionWatch watch = client.watch(new WatchFilter("t_big", null, null))) {
        try (ExecutionLogClient writer = ExecutionLogClient.connect(cli.address())) {
          for (int i = 0; i < RUNS; i++) {
            writer.record(WatchLagTest.largeRun(i)); // about 170 KB each, while neither watcher reads
          }
        }
        stdout.release.countDown();
        ExecLogClientException e = fails(() -> {
          while (watch.hasNext()) {
            watch.next();
          }
        });

        String last = Long.toString(watch.lastDeliveredSequence());
        assertReason(e, Status.Code.RESOURCE_EXHAUSTED, ErrorReason.WATCH_LAGGED, "", Map.of("last_sequence", last));
      }

      Result r = running.await(WAIT);
      assertCli(r, ExitCode.ERROR, ErrorReason.WATCH_LAGGED, "read what was missed with 'execlog history t_big");
      Matcher sequence = Pattern.compile("metadata \\{last_sequence=(\\d+)}")
          .matcher(r.err());
      assertTrue(sequence.find(), r.err());
      assertTrue(r.err().contains("was dropped after change #" + sequence.group(1) + ";"), r.err());
    }
  }

  @Nested
  class WithTokens {

    @Test
    void unauthenticatedAndRoleTooLow_tokens() throws Exception {
      Path dir = Files.createTempDirectory("execlog-reasons-auth-");
      Path ca = TestCertificates.copy(dir, "ca.pem");
      Files.writeString(dir.resolve("reader.token"), "reader-secret\n");
      Files.writeString(dir.resolve("auth.json"), "{\"tokens\": [{\"name\": \"dash\", \"role\": \"reader\", \"sha256\": \""
          + AuthConfig.hashHex("reader-secret") + "\"}]}");
      ServerConfig config = ServerConfig.forProject(dir).withAuth(AuthConfig.load(dir.resolve("auth.json")));
      try (ExecLogServer server = ExecLogServer.start(config, NettyServerBuilder.forAddress(
          new InetSocketAddress("127.0.0.1", 0), TransportSecurity.serverCredentials(
              TestCertificates.copy(dir, "server1.pem"), TestCertificates.copy(dir, "server1.key"), null)))) {
        String address = "127.0.0.1:" + server.port();
        ConnectionOptions reader = new ConnectionOptions(address, ca, null, null, "reader-secret",
            TestCertificates.AUTHORITY);
        try (ExecutionLogClient anonymous = ExecutionLogClient.connect(reader.withToken(null), WAIT, WAIT);
            ExecutionLogClient client = ExecutionLogClient.connect(reader, WAIT, WAIT)) {
          assertReason(fails(anonymous::info), Status.Code.UNAUTHENTICATED, ErrorReason.UNAUTHENTICATED, "", Map.of());
          assertReason(fails(() -> client.record(NewRun.builder("t_s", "x").build())), Status.Code.PERMISSION_DENIED,
              ErrorReason.ROLE_TOO_LOW, "", Map.of("role", "reader", "required", "writer"));
        }

        String[] tls = {"--server", address, "--tls-ca", ca.toString(), "--tls-authority", TestCertificates.AUTHORITY,
            "--verbose"};
        Result nobody = CliServerExtension.runRaw(concat(new String[] {"info"}, tls));
        assertCli(nobody, ExitCode.NOT_ALLOWED, ErrorReason.UNAUTHENTICATED, "EXECLOG_TOKEN", "--token-file");
        Result denied = CliServerExtension.runRaw(concat(new String[] {"record", "--task", "t_s", "--type", "x",
            "--token-file", dir.resolve("reader.token").toString()}, tls));
        assertCli(denied, ExitCode.NOT_ALLOWED, ErrorReason.ROLE_TOO_LOW, "your role is reader, this needs writer");
        assertFalse(denied.err().contains("reader-secret"), "the token is never printed");
      } finally {
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }

    private static String[] concat(String[] a, String[] b) {
      String[] all = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, all, a.length, b.length);
      return all;
    }
  }
}
