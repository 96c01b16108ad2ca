package dev.execlog.server.grpc;

import dev.execlog.server.model.ExecLogException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Where an import's upload waits while it arrives: a temporary file beside the log. A server killed
 * mid-upload leaves its file behind; the next server, holding the log's lock and so the only one
 * using this directory, removes such leftovers when it starts.
 */
public final class UploadScratch {

  private static final Logger LOG = Logger.getLogger(UploadScratch.class.getName());
  private static final String PREFIX = ".execlog-import-";
  private static final String SUFFIX = ".json";

  private final Path dir;

  private UploadScratch(Path dir) {
    this.dir = dir;
  }

  /** Takes over {@code dir}, removing uploads that a killed server left there. */
  public static UploadScratch claim(Path dir) {
    UploadScratch scratch = new UploadScratch(dir);
    int removed = scratch.removeLeftovers();
    if (removed > 0) {
      LOG.warning("removed " + removed + " unfinished import upload(s) left in " + dir + " by a server that was stopped");
    }
    return scratch;
  }

  Path newUpload() {
    try {
      Files.createDirectories(dir);
      return Files.createTempFile(dir, PREFIX, SUFFIX);
    } catch (IOException e) {
      throw ExecLogException.storage("cannot store the upload: " + e.getMessage(), e);
    }
  }

  private int removeLeftovers() {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int removed = 0;
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
      for (Path p : leftovers) {
        if (Files.isRegularFile(p) && Files.deleteIfExists(p)) {
          removed++;
        }
      }
    } catch (IOException e) {
      LOG.warning("cannot remove unfinished import uploads in " + dir + ": " + e.getMessage());
    }
    return removed;
  }
}
