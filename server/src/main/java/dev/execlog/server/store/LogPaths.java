package dev.execlog.server.store;

import dev.execlog.server.model.ExecLogException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where each file of a log lives. A log path that is a symbolic link stays one: the log is rewritten
 * at the link's target, and the journal and the temporary file live beside the target (a rename only
 * replaces a file within its own directory), so servers started on either spelling of the path share
 * one journal. Python's {@code filelock} locks {@code <the path its program names>.lock}, so the
 * server takes that lock under both spellings.
 *
 * @param configured the log path as configured, absolute
 * @param file the file that holds the log: {@code configured} with its symbolic links followed
 */
record LogPaths(Path configured, Path file) {

  /** Linux gives up after 40 links in a chain; so does the server. */
  private static final int MAX_LINKS = 40;

  static LogPaths of(Path logFile) {
    Path configured = logFile.toAbsolutePath();
    return new LogPaths(configured, Files.isSymbolicLink(configured) ? followLinks(configured) : configured);
  }

  /** The directory of the log file, its journal and its temporary file. */
  Path directory() {
    return file.getParent();
  }

  Path temporary() {
    return file.resolveSibling(file.getFileName() + ".tmp");
  }

  /**
   * A lock only servers take, beside the log file. A second server must get it as well as the
   * library's lock, so deleting {@code <log>.lock} under a running server does not let one in.
   */
  Path serverLock() {
    return directory().resolve("." + file.getFileName() + ".server.lock");
  }

  /** The lock files the Python library may take: one per spelling of the path. */
  List<Path> libraryLocks() {
    Path configuredLock = Path.of(configured + ".lock");
    return file.equals(configured) ? List.of(configuredLock) : List.of(configuredLock, Path.of(file + ".lock"));
  }

  // Followed by hand, not by toRealPath(), because the target may not exist yet (a new log).
  private static Path followLinks(Path link) {
    Path current = link;
    try {
      for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(current); i++) {
        current = current.resolveSibling(Files.readSymbolicLink(current));
      }
      if (Files.isSymbolicLink(current)) {
        throw ExecLogException.config("the log path " + link + " is a chain of more than "
            + MAX_LINKS + " symbolic links");
      }
      // ".." in a link's target means the parent of where the link points, which only the file system knows.
      Path parent = current.getParent();
      return Files.isDirectory(parent) ? parent.toRealPath().resolve(current.getFileName()) : current.normalize();
    } catch (IOException e) {
      throw ExecLogException.storage("cannot follow the symbolic link " + link + ": " + e.getMessage(), e);
    }
  }
}
