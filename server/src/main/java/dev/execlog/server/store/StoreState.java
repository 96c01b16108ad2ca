package dev.execlog.server.store;

import dev.execlog.server.model.LogMetadata;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-memory log, guarded by one read-write lock: readers share it; the writer thread, the only
 * one that changes it, prepares a batch reading it unlocked, forces the batch to disk, and only then
 * holds the lock exclusively to apply it, so no reader ever sees a change that is not durable and
 * none waits for the disk (see {@link Batch}).
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
