package dev.execlog.client.model;

import java.util.List;

/** What a cleanup removed, or in a dry run would remove. */
public record CleanupResult(int removedCount, List<String> removedRunIds, boolean dryRun) {}
