package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.cli.CliServerExtension.Result;
import dev.execlog.cli.CliServerExtension.Running;
import dev.execlog.client.ExecutionLogClient;
import dev.execlog.client.model.NewRun;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * watch: a reader too slow for the server is dropped, and says how to read what it missed. The
 * watch's stdout is held still while large runs are recorded, so the transport's buffers fill and
 * the server's queue (2 changes here) overflows.
 */
class WatchLagTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int RUNS = 36;

  @RegisterExtension
  final CliServerExtension cli = new CliServerExtension(2);

  /** A run of 1,000 long output paths: a few of them fill a watcher's stream buffers. */
  static NewRun largeRun(int i) {
    NewRun.Builder b = NewRun.builder("t_big", "ingestion").seconds(1);
    String dir = "DATA/" + "d".repeat(150) + "/run" + i + "/";
    for (int f = 0; f < 1000; f++) {
      b.output(dir + "part-" + f + ".csv");
    }
    return b.build();
  }

  @Test
  void watch_readerTooSlow_exitsWithHistoryHint() throws Exception {
    StalledWriter stdout = new StalledWriter();
    Running running = cli.start(stdout, "watch", "--task", "t_big", "--json", "--verbose");
    running.awaitErr("watching changes after #", WAIT);

    try (ExecutionLogClient client = ExecutionLogClient.connect(cli.address())) {
      for (int i = 0; i < RUNS; i++) {
        client.record(largeRun(i)); // about 170 KB each: 6 MB, beyond what the transport buffers
      }
    }
    stdout.release.countDown(); // the reader goes on, and finds the watch dropped after its queue
    Result r = running.await(WAIT);

    assertEquals(1, r.exitCode(), r.err());
    assertTrue(stdout.written.toString().lines().count() < RUNS, "some changes were not delivered");
    Matcher last = Pattern.compile("reason WATCH_LAGGED, metadata \\{last_sequence=(\\d+)}")
        .matcher(r.err());
    assertTrue(last.find(), "--verbose names the reason and its metadata: " + r.err());
    assertTrue(r.err().contains("execlog: watch changes: the watch fell behind the server and was dropped after"
        + " change #" + last.group(1) + "; later changes were not shown"), r.err());
    assertTrue(r.err().contains("hint: read what was missed with 'execlog history t_big --all --since "), r.err());
  }
}
