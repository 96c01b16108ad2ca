package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.client.model.ProgressEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The live progress line: sized to the terminal as it is now, finished stages, human byte units. */
class ProgressDisplayTest {

  @Test
  void line_fillsTheTerminalWidthExactly_atAnyWidth() {
    for (int columns : List.of(40, 80, 132, 200)) {
      String line = BarProgress.line(new ProgressEvent("scan", 500, 2000, "choosing"), columns, Duration.ofSeconds(3));

      assertEquals(columns - 1, line.length(), line);
      int bar = line.indexOf(']') - line.indexOf('[') - 1;
      long filled = line.chars().filter(c -> c == '=').count();
      assertEquals(bar / 4, filled, "a quarter of the bar: " + line);
      assertTrue(line.endsWith("]  25% 500/2,000 3s"), line);
    }
  }

  @Test
  void line_tooNarrowForABar_keepsTheCounts() {
    String line = BarProgress.line(new ProgressEvent("scan", 500, 2000, ""), 24, Duration.ofSeconds(3));

    assertEquals("scan 500/2,000 3s", line);
  }

  @Test
  void bytes_areShownInHumanUnits() {
    String line = BarProgress.line(new ProgressEvent("receive", 3L << 20, 0, "receiving"), 80, Duration.ofMillis(1500));

    assertTrue(line.endsWith(" 3.0 MiB 1.5s"), line);
    assertTrue(line.contains("<=>"), "an indefinite stage has a moving marker: " + line);
  }

  @Test
  void finishedStage_leavesItsTotalAndTime_andTheBarFollowsAResize() {
    StringWriter out = new StringWriter();
    AtomicInteger columns = new AtomicInteger(100);
    BarProgress p = new BarProgress(new PrintWriter(out), columns::get, () -> { });

    p.onProgress(new ProgressEvent("scan", 0, 1200, "choosing runs to remove"));
    String first = out.toString();
    columns.set(60);
    p.onProgress(new ProgressEvent("remove", 0, 300, "removing"));
    p.onProgress(new ProgressEvent("remove", 300, 300, "removed 300 runs"));
    p.close();

    String[] lines = out.toString().split("\n");
    assertEquals(99, first.strip().length(), first);
    String scan = lines[0].substring(lines[0].lastIndexOf('\r') + 1).stripTrailing();
    assertTrue(scan.matches("scan: choosing runs to remove \\(0/1,200\\) in \\d+ms"), scan);
    String remove = lines[1].substring(lines[1].lastIndexOf('\r') + 1).stripTrailing();
    assertTrue(remove.matches("remove: removed 300 runs \\(300/300\\) in \\d+ms"), remove);
    for (String segment : out.toString().split("[\r\n]")) {
      assertTrue(segment.stripTrailing().length() <= 99, segment);
    }
  }
}
