package dev.execlog.server.store;

import java.nio.file.Path;

/** Facts about the log for {@code GetLogInfo}. */
public record LogInfo(Path path, long executionCount, long taskCount, long sizeBytes, long lastModifiedMicros,
    String createdText, String version) {

  LogInfo withSize(long size) {
    return new LogInfo(path, executionCount, taskCount, size, lastModifiedMicros, createdText, version);
  }
}
