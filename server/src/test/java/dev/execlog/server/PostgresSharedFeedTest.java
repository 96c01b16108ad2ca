package dev.execlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.execlog.server.postgres.PostgresLocation;
import dev.execlog.server.postgres.PostgresSchema;
import dev.execlog.server.postgres.SharedPostgres;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.WatchExecutionsRequest;
import dev.execlog.v1.WatchExecutionsResponse;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers on one PostgreSQL database give one change stream: a watch on either sees the
 * changes committed through both, in the same order with the same sequences, and a watch moved
 * from one server to the other resumes from its last sequence with no gap and no duplicate.
 */
class PostgresSharedFeedTest {

  private final List<ExecLogServer> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final ExecutorService executor = Executors.newFixedThreadPool(8);
  private Path root;

  @BeforeEach
  void twoServersOnOneDatabase() throws Exception {
    root = Files.createTempDirectory("execlog-shared-feed-").toAbsolutePath().normalize();
    String database = SharedPostgres.newDatabase("shared_feed");
    PostgresLocation location = SharedPostgres.location(database);
    try (HikariDataSource pool = SharedPostgres.pool(database, 2)) {
      new PostgresSchema(pool, database).migrate(root);
    }
    for (int i = 0; i < 2; i++) {
      String name = InProcessServerBuilder.generateName();
      servers.add(ExecLogServer.start(ServerConfig.forProject(root).withPostgres(location, 4),
          InProcessServerBuilder.forName(name).executor(executor)));
      channels.add(InProcessChannelBuilder.forName(name).build());
    }
  }

  @AfterEach
  void stop() throws Exception {
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(ExecLogServer::close);
    executor.shutdownNow();
    try (var files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub stub(int server) {
    return ExecutionLogServiceGrpc.newBlockingStub(channels.get(server));
  }

  private WatchProbe watch(int server, WatchExecutionsRequest request) {
    WatchProbe probe = new WatchProbe(false);
    ExecutionLogServiceGrpc.newStub(channels.get(server)).watchExecutions(request, probe);
    return probe;
  }

  @Test
  void watchOnEitherServer_seesChangesFromBoth_andResumesOnTheOther() throws Exception {
    WatchProbe onB = watch(1, WatchExecutionsRequest.getDefaultInstance());
    WatchExecutionsResponse started = onB.next();
    assertTrue(started.hasStarted());
    String feedId = started.getStarted().getFeedId();

    List<String> recorded = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String id = UUID.randomUUID().toString();
      stub(i % 2).recordExecution(Runs.record(Runs.run("t_" + (i % 3)).setRunId(id)));
      recorded.add(id);
    }
    List<String> seenOnB = new ArrayList<>();
    List<Long> sequences = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      WatchExecutionsResponse r = onB.next();
      seenOnB.add(r.getChange().getExecution().getRunId());
      sequences.add(r.getChange().getSequence());
    }
    assertEquals(new HashSet<>(recorded), new HashSet<>(seenOnB), "every run once");
    assertEquals(20, seenOnB.stream().distinct().count());
    for (int i = 1; i < sequences.size(); i++) {
      assertEquals(sequences.get(i - 1) + 1, sequences.get(i), "one numbering without gaps");
    }
    // Each client recorded in order, so each server's own runs arrive in the order they were recorded.
    List<String> fromA = seenOnB.stream().filter(id -> recorded.indexOf(id) % 2 == 0).toList();
    assertEquals(recorded.stream().filter(id -> recorded.indexOf(id) % 2 == 0).toList(), fromA);
    assertTrue(onB.quiet(), "nothing twice");
    onB.cancel();

    // Moved to server A after its tenth change: the rest, exactly once.
    WatchProbe onA = watch(0, WatchExecutionsRequest.newBuilder().setFeedId(feedId)
        .setAfterSequence(sequences.get(9)).build());
    WatchExecutionsResponse resumed = onA.next();
    assertTrue(resumed.getStarted().getResumed(), resumed.toString());
    assertEquals(feedId, resumed.getStarted().getFeedId(), "one feed for the database");
    List<String> rest = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rest.add(onA.next().getChange().getExecution().getRunId());
    }
    assertEquals(seenOnB.subList(10, 20), rest);
    String later = UUID.randomUUID().toString();
    stub(1).recordExecution(Runs.record(Runs.run("t_late").setRunId(later)));
    WatchExecutionsResponse next = onA.next();
    assertEquals(later, next.getChange().getExecution().getRunId());
    assertEquals(sequences.get(19) + 1, next.getChange().getSequence());
    assertTrue(onA.quiet());
    onA.cancel();
  }
}
