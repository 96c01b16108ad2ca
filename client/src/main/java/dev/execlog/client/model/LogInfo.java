package dev.execlog.client.model;

import java.time.Instant;

/** Facts about the server's log. */
public record LogInfo(String path, String projectRoot, long executionCount, long taskCount, long sizeBytes,
    Instant lastModified, Instant created, String version, String serverVersion) {}
