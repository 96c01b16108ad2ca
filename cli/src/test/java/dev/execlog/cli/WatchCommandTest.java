package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.execlog.cli.CliServerExtension.Result;
import dev.execlog.cli.CliServerExtension.Running;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** watch: a live tail of the log's changes, stopped here by --count. */
class WatchCommandTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension();

  /** Starts a watch and returns once the server has confirmed it, so every later change reaches it. */
  private Running watch(String... args) throws InterruptedException {
    Running running = cli.start("watch", args);
    running.awaitErr("watching changes after #", WAIT);
    return running;
  }

  @Test
  void watch_threeRecords_printsExactlyThoseChangesAsJson() throws Exception {
    cli.record("t_before", "ingestion");
    Running running = watch("--json", "--count", "3", "--verbose");

    String first = cli.record("t_1I", "ingestion", "--duration", "45.2s");
    String second = cli.record("t_1P", "profiling", "--failed");
    String third = cli.record("t_1I", "ingestion");
    Result r = running.await(WAIT);

    assertEquals(0, r.exitCode(), r.err());
    List<JsonNode> changes = Json.lines(r.out());
    assertEquals(3, changes.size(), r.out());
    assertEquals(List.of(first, second, third),
        changes.stream().map(c -> c.get("run").get("task_run_id").asText()).toList());
    assertTrue(changes.stream().allMatch(c -> c.get("change").asText().equals("RECORDED")), r.out());
    assertEquals(45.2, changes.get(0).get("run").get("execution_time").asDouble(), 1e-9);
    assertEquals(false, changes.get(1).get("run").get("success").asBoolean());
    long s = changes.get(0).get("sequence").asLong();
    assertEquals(List.of(s, s + 1, s + 2), changes.stream().map(c -> c.get("sequence").asLong()).toList());
  }

  @Test
  void watch_filters_printOnlyMatchingChangesForPeople() throws Exception {
    Running running = watch("--task", "t_1I", "--failed", "--count", "2", "--verbose");

    cli.record("t_1I", "ingestion");
    String failed = cli.record("t_1I", "ingestion", "--failed", "--duration", "3s");
    cli.record("t_1P", "profiling", "--failed");
    cli.run("update", failed, "--report", "reports/t_1I.html");
    Result r = running.await(WAIT);

    assertEquals(0, r.exitCode(), r.err());
    assertEquals(2, r.lines().size(), r.out());
    assertTrue(r.lines().get(0).matches(".*  recorded  t_1I \\(ingestion\\)  FAILED  3s  " + failed), r.out());
    assertTrue(r.lines().get(1).matches(".*  updated   t_1I \\(ingestion\\)  FAILED  3s  " + failed), r.out());
    assertTrue(r.err().contains("Watching task t_1I (Ctrl-C to stop)."), r.err());
  }

  @Test
  void watch_badOptions_isUsageError() {
    assertEquals(2, cli.run("watch", "--success", "--failed").exitCode());
    assertEquals(2, cli.run("watch", "--count", "0").exitCode());
  }
}
