package dev.execlog.server.store;

/**
 * What the store tells a metrics system about its disk work. The store knows nothing of the metrics
 * library; the server wires an implementation in.
 */
public interface StoreMetrics {

  /** Reports nothing. */
  StoreMetrics NONE = new StoreMetrics() {};

  /** A group commit made {@code operations} writes durable with one journal sync that took {@code syncNanos}. */
  default void committed(int operations, long syncNanos) {}

  /** A fold wrote the log file ({@code bytes} long) in {@code nanos}. */
  default void folded(long nanos, long bytes) {}
}
