package dev.execlog.client;

import java.util.List;
import java.util.Map;

/**
 * The gRPC service config every execlog client channel uses (the Python and Node clients carry
 * the same one as {@code service_config.json} / {@code service-config.json}; a test keeps them
 * equal): {@code round_robin} over the servers the address names, and a retry policy on the calls
 * that are safe to repeat.
 *
 * <p>Retried, on UNAVAILABLE only, up to {@value #MAX_ATTEMPTS} attempts in all, waiting a random
 * time between 0 and 0.5 s, 1 s, 2 s and 4 s before attempts 2 to 5 (initial backoff 0.5 s,
 * multiplier 2, maximum backoff 5 s): a call gives up after at most 7.5 s of waiting, about 3.75 s
 * on average. That covers a server restart of a few seconds; with several servers the retry goes
 * to another server at once (round robin skips a server it cannot reach).
 *
 * <ul>
 *   <li>Reads: GetExecution, ListExecutions, GetLatestExecution, FindOutputProducer, ListTasks,
 *       CheckDependencies, GetLineage, GetTaskStatistics, GetLogInfo, ValidateLog and ExportLog
 *       (a stream is retried only before its first message arrives).
 *   <li>RecordExecution: every client sends a run id it generated (a UUID) unless the caller gave
 *       one, and the server answers a record repeated with the same id and content with the stored
 *       run ({@code already_recorded}); so a retry never records a run twice.
 *   <li>TrackInputFiles, TrackOutputFiles and UpdateExecution: idempotent in effect. Tracking adds
 *       paths as a set (a path already listed is not added again), and an update sets the fields
 *       its mask names to given values; applying either twice leaves what applying it once does.
 *       (Tracking names "the task's newest run": when another run of the task is recorded between
 *       a lost answer and its retry, the paths land on both runs, as they would when the caller
 *       repeated the call itself.)
 * </ul>
 *
 * <p>Never retried: DeleteExecution (a repeated delete of a run the first attempt removed would
 * answer NOT_FOUND), CleanupExecutions and ImportLog (long operations that change many runs), and
 * WatchExecutions (a watch is resumed by its caller with its feed id and last sequence).
 */
final class ServiceConfig {

  static final String SERVICE = "execlog.v1.ExecutionLogService";
  static final int MAX_ATTEMPTS = 5;

  /** The methods retried on UNAVAILABLE. */
  static final List<String> RETRIED = List.of("RecordExecution", "GetExecution", "ListExecutions",
      "GetLatestExecution", "FindOutputProducer", "TrackInputFiles", "TrackOutputFiles", "UpdateExecution",
      "ListTasks", "CheckDependencies", "ValidateLog", "ExportLog", "GetLogInfo", "GetLineage",
      "GetTaskStatistics");

  /** The methods never retried. */
  static final List<String> NOT_RETRIED = List.of("DeleteExecution", "CleanupExecutions", "ImportLog",
      "WatchExecutions");

  /** Largest request kept for a retry (the server's default largest message); bigger ones are not retried. */
  static final long PER_RPC_BUFFER_BYTES = 4L * 1024 * 1024;

  private ServiceConfig() {}

  /** The service config as gRPC-Java's {@code defaultServiceConfig} takes it (numbers as doubles). */
  static Map<String, ?> get() {
    return Map.of(
        "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
        "methodConfig", List.of(Map.of(
            "name", RETRIED.stream().map(m -> Map.of("service", SERVICE, "method", m)).toList(),
            "retryPolicy", Map.of(
                "maxAttempts", (double) MAX_ATTEMPTS,
                "initialBackoff", "0.5s",
                "maxBackoff", "5s",
                "backoffMultiplier", 2.0,
                "retryableStatusCodes", List.of("UNAVAILABLE")))));
  }
}
