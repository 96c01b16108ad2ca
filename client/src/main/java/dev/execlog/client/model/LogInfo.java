package dev.execlog.client.model;

import java.time.Instant;

/**
 * Facts about the server's log.
 *
 * @param version the log file's format version
 * @param serverVersion the server's release version
 * @param serverCommit the source commit the server was built from
 * @param serverId which server answered (its {@code --server-id}); several may serve one PostgreSQL store
 * @param store where the log is kept: {@code json} (the file at {@code path}) or {@code postgresql}
 */
public record LogInfo(String path, String projectRoot, long executionCount, long taskCount, long sizeBytes,
    Instant lastModified, Instant created, String version, String serverVersion, String serverCommit,
    String serverId, String store) {}
