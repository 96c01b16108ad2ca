package dev.execlog.server.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens the journal's files. The one seam between the store and the disk's write path, so a test
 * can hand in channels whose {@code write}, {@code force} or {@code truncate} fail, and so cover
 * rollback and repair on any machine, without root or a full tmpfs.
 */
@FunctionalInterface
public interface FileChannels {

  /** The operating system's channels. */
  FileChannels SYSTEM = FileChannel::open;

  FileChannel open(Path path, OpenOption... options) throws IOException;
}
