package dev.execlog.cli;

import java.time.Instant;
import picocli.CommandLine.Option;

/** The time window options history and stats share: runs at or after --since, before --until. */
public final class TimeWindow {

  @Option(names = {"--since", "--from"}, converter = TimeConverter.class, paramLabel = "TIME",
      description = "Only runs at or after this time: 7d (7 days ago), 2026-11-29 or 2026-11-29T10:00:00Z.")
  Instant since;

  @Option(names = {"--until", "--to"}, converter = TimeConverter.class, paramLabel = "TIME",
      description = "Only runs before this time (same forms as --since).")
  Instant until;
}
