package dev.execlog.server.security;

import dev.execlog.v1.ExecutionLogServiceGrpc;
import java.util.Map;

/**
 * The role each RPC needs. Anything not listed needs ADMIN, so a method added later is closed
 * until someone decides otherwise.
 */
public final class AccessPolicy {

  private static final String SERVICE = ExecutionLogServiceGrpc.SERVICE_NAME + "/";

  private static final Map<String, Role> REQUIRED = Map.ofEntries(
      Map.entry("GetExecution", Role.READER),
      Map.entry("ListExecutions", Role.READER),
      Map.entry("GetLatestExecution", Role.READER),
      Map.entry("FindOutputProducer", Role.READER),
      Map.entry("ListTasks", Role.READER),
      Map.entry("CheckDependencies", Role.READER),
      Map.entry("ValidateLog", Role.READER),
      Map.entry("ExportLog", Role.READER),
      Map.entry("GetLogInfo", Role.READER),
      Map.entry("GetLineage", Role.READER),
      Map.entry("GetTaskStatistics", Role.READER),
      Map.entry("WatchExecutions", Role.READER),
      Map.entry("RecordExecution", Role.WRITER),
      Map.entry("TrackInputFiles", Role.WRITER),
      Map.entry("TrackOutputFiles", Role.WRITER),
      Map.entry("UpdateExecution", Role.WRITER),
      Map.entry("DeleteExecution", Role.ADMIN),
      Map.entry("CleanupExecutions", Role.ADMIN),
      Map.entry("ImportLog", Role.ADMIN));

  private AccessPolicy() {}

  /** Health checks and reflection stay open: load balancers and tools must reach them without a token. */
  public static boolean isOpen(String fullMethodName) {
    return fullMethodName.startsWith("grpc.health.") || fullMethodName.startsWith("grpc.reflection.");
  }

  public static Role required(String fullMethodName) {
    if (!fullMethodName.startsWith(SERVICE)) {
      return Role.ADMIN;
    }
    return REQUIRED.getOrDefault(fullMethodName.substring(SERVICE.length()), Role.ADMIN);
  }
}
