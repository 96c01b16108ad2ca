package dev.execlog.client.model;

/** What an import did. */
public record ImportResult(long importedCount, long skippedCount, long executionCount, boolean dryRun) {}
