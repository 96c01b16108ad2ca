package dev.execlog.server.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * Which file is at a path (device and inode) with its size and modification time: enough to tell
 * that the log file is no longer the one the server wrote, without reading it.
 */
record FileIdentity(Object key, long size, FileTime modified) {

  /** The file at the path now, or null when there is none. */
  static FileIdentity of(Path path) throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return new FileIdentity(a.fileKey(), a.size(), a.lastModifiedTime());
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** How the file at {@code path} ({@code now}) differs from this one, or null when it is this one unchanged. */
  String changeTo(FileIdentity now, Path path) {
    if (now == null) {
      return "the log file " + path + " was deleted";
    }
    if (key != null && !key.equals(now.key)) {
      return "the log file " + path + " was replaced by another file";
    }
    if (size != now.size) {
      return "the log file " + path + " was changed from " + size + " to " + now.size + " bytes";
    }
    if (!modified.equals(now.modified)) {
      return "the log file " + path + " was modified";
    }
    return null;
  }
}
