package dev.execlog.server.store;

/**
 * Facts about the log for {@code GetLogInfo}.
 *
 * @param store the kind of store: {@code json} or {@code postgresql}
 * @param location where the log is kept: the JSON file's absolute path, or the database's URL (no credentials)
 */
public record LogInfo(String store, String location, long executionCount, long taskCount, long sizeBytes,
    long lastModifiedMicros, String createdText, String version) {

  LogInfo withSize(long size) {
    return new LogInfo(store, location, executionCount, taskCount, size, lastModifiedMicros, createdText, version);
  }
}
