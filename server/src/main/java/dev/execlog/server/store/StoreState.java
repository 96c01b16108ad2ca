package dev.execlog.server.store;

import dev.execlog.server.model.LogMetadata;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-memory log, guarded by one read-write lock: readers share it; the writer thread holds it
 * exclusively while it applies a batch and forces the batch to disk, so no reader ever sees a change
 * that is not durable.
 */
final class StoreState {
  final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  ExecutionIndex index;
  LogMetadata metadata;
  long lastModifiedMicros;

  StoreState(ExecutionIndex index, LogMetadata metadata, long lastModifiedMicros) {
    this.index = index;
    this.metadata = metadata;
    this.lastModifiedMicros = lastModifiedMicros;
  }
}
