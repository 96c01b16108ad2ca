package dev.execlog.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** Writes a document to a file whole or not at all: a temporary file beside it, then a rename. */
final class DocumentFile {

  private DocumentFile() {}

  static void write(Path file, String text, String what) {
    Path target = file.toAbsolutePath();
    Path temp = null;
    try {
      Files.createDirectories(target.getParent());
      // not createTempFile: its owner-only mode would stick to the document; this one follows the umask
      temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
      Files.writeString(temp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new CliFailure(what + " to " + file, e.getClass().getSimpleName() + ": " + e.getMessage(), ExitCode.ERROR,
          null, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // the rename succeeded or the failure is already reported
        }
      }
    }
  }
}
