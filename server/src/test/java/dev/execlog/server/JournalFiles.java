package dev.execlog.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The journal segments beside a log file, as tests look at them from outside the server. */
final class JournalFiles {

  private JournalFiles() {}

  /** The segments, oldest first. */
  static List<Path> segments(Path logFile) throws IOException {
    String prefix = logFile.getFileName() + ".journal.";
    try (Stream<Path> files = Files.list(logFile.getParent())) {
      return files.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
    }
  }

  static Path lastSegment(Path logFile) throws IOException {
    List<Path> all = segments(logFile);
    if (all.isEmpty()) {
      throw new AssertionError("no journal segment beside " + logFile);
    }
    return all.get(all.size() - 1);
  }

  /** Bytes in all segments; a segment folded away meanwhile counts nothing. */
  static long bytes(Path logFile) throws IOException {
    return sum(logFile, segment -> Files.size(segment));
  }

  /** Journal lines besides each segment's format line. */
  static long entries(Path logFile) throws IOException {
    return sum(logFile, segment -> Files.readAllLines(segment).stream()
        .filter(line -> !line.contains("\"op\":\"format\"")).count());
  }

  private interface Measure {
    long of(Path segment) throws IOException;
  }

  private static long sum(Path logFile, Measure measure) throws IOException {
    long total = 0;
    for (Path segment : segments(logFile)) {
      try {
        total += measure.of(segment);
      } catch (NoSuchFileException folded) {
        // deleted by a fold between the listing and now
      }
    }
    return total;
  }
}
