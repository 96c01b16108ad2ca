package dev.execlog.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Takes a live server's directory away, as an operator's mistake would. */
final class Directories {

  private Directories() {}

  /**
   * Deletes {@code dir} and everything in it. The server may write into it meanwhile (a journal
   * segment, a fold's temporary file), so the walk is repeated until the directory is gone.
   */
  static void deleteTree(Path dir) throws IOException, InterruptedException {
    for (int attempt = 0; Files.exists(dir); attempt++) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (DirectoryNotEmptyException | NoSuchFileException | UncheckedIOException raced) {
        if (attempt >= 100) {
          throw raced;
        }
        Thread.sleep(5);
      }
    }
  }
}
