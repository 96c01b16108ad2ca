package dev.execlog.server.store;

import dev.execlog.server.model.Execution;

/** The stored run, and whether an identical earlier request had already stored it. */
public record RecordOutcome(Execution execution, boolean alreadyRecorded) {}
