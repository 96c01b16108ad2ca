package dev.execlog.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.execlog.client.model.ProgressEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The human formats and the argument converters, without a server. */
class FormatsTest {

  private static final Instant NOW = Instant.parse("2026-11-29T10:05:11Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @Test
  void duration_variousLengths_readsLikeAPerson() {
    assertEquals("850ms", HumanFormat.duration(Duration.ofMillis(850)));
    assertEquals("45.2s", HumanFormat.duration(Duration.ofMillis(45_200)));
    assertEquals("5s", HumanFormat.duration(Duration.ofSeconds(5)));
    assertEquals("2m 05s", HumanFormat.duration(Duration.ofSeconds(125)));
    assertEquals("1h 02m", HumanFormat.duration(Duration.ofMinutes(62)));
    assertEquals("3d 04h", HumanFormat.duration(Duration.ofHours(76)));
  }

  @Test
  void time_threeMinutesAgo_showsAbsoluteAndRelative() {
    HumanFormat f = new HumanFormat(CLOCK);

    assertEquals("2026-11-29 10:02:11 UTC (3 min ago)", f.time(NOW.minusSeconds(180)));
    assertEquals("2 days ago", f.ago(NOW.minus(Duration.ofDays(2))));
    assertEquals("in 5 h", f.ago(NOW.plus(Duration.ofHours(5))));
  }

  @Test
  void durationConverter_commonForms_parse() {
    assertEquals(Duration.ofMillis(45_200), DurationConverter.parse("45.2"));
    assertEquals(Duration.ofSeconds(125), DurationConverter.parse("2m5s"));
    assertEquals(Duration.ofMinutes(90), DurationConverter.parse("1h30m"));
    assertEquals(Duration.ofDays(7), DurationConverter.parse("7d"));
    assertEquals(Duration.ofMillis(500), DurationConverter.parse("500ms"));
    assertEquals(Duration.ofSeconds(30), DurationConverter.parse("PT30S"));
    assertThrows(TypeConversionException.class, () -> DurationConverter.parse("soon"));
    assertThrows(TypeConversionException.class, () -> DurationConverter.parse("5 parsecs"));
  }

  @Test
  void timeConverter_isoLocalDateAndAge_parse() {
    TimeConverter c = new TimeConverter(CLOCK);

    assertEquals(Instant.parse("2026-11-29T10:02:11Z"), c.convert("2026-11-29T10:02:11Z"));
    assertEquals(Instant.parse("2026-11-29T10:02:11Z"), c.convert("2026-11-29 10:02:11"));
    assertEquals(Instant.parse("2026-11-28T00:00:00Z"), c.convert("2026-11-28"));
    assertEquals(NOW.minus(Duration.ofDays(7)), c.convert("7d"));
    assertThrows(TypeConversionException.class, () -> c.convert("yesterday"));
  }

  @Test
  void writerOutputStream_multibyteCharSplitAcrossWrites_decodesWhole() throws Exception {
    StringWriter sink = new StringWriter();
    byte[] bytes = "caf\u00e9 \u2713".getBytes(StandardCharsets.UTF_8);
    try (WriterOutputStream out = new WriterOutputStream(new PrintWriter(sink))) {
      for (byte b : bytes) {
        out.write(new byte[] {b}, 0, 1);
      }
    }
    assertEquals("caf\u00e9 \u2713", sink.toString());
  }

  @Test
  void plainProgress_severalEventsPerStage_printsOneLinePerStage() {
    StringWriter sink = new StringWriter();
    try (PlainProgress p = new PlainProgress("validate", new PrintWriter(sink))) {
      p.onProgress(new ProgressEvent("runs", 1, 3, "checking runs"));
      p.onProgress(new ProgressEvent("runs", 3, 3, "checked 3 runs"));
      p.onProgress(new ProgressEvent("summaries", 1, 1, "checked task summaries"));
    }
    assertEquals("execlog: validate: runs: checked 3 runs (3/3)%nexeclog: validate: summaries: checked task summaries (1/1)%n"
        .formatted(), sink.toString());
  }
}
