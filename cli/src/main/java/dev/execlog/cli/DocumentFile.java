package dev.execlog.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** Writes a file whole or not at all: a temporary file beside it, then a rename. */
final class DocumentFile {

  /** Writes the content to the stream it is given. */
  @FunctionalInterface
  interface Content<T> {
    T writeTo(OutputStream out) throws IOException;
  }

  private DocumentFile() {}

  static void write(Path file, String text, String what) {
    try {
      write(file, out -> {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        return null;
      });
    } catch (IOException e) {
      throw new CliFailure(what + " to " + file, e.getClass().getSimpleName() + ": " + e.getMessage(), ExitCode.ERROR,
          null, e);
    }
  }

  /** Runs {@code content} into a temporary file and renames it over {@code file} only if it succeeds. */
  static <T> T write(Path file, Content<T> content) throws IOException {
    Path target = file.toAbsolutePath();
    Files.createDirectories(target.getParent());
    // not createTempFile: its owner-only mode would stick to the document; this one follows the umask
    Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
    try {
      T result;
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        result = content.writeTo(out);
      }
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return result;
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
