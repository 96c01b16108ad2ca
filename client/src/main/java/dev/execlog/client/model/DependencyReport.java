package dev.execlog.client.model;

import java.util.List;
import java.util.Optional;

/** Whether every dependency has succeeded, and the answer for each. */
public record DependencyReport(boolean satisfied, List<Dependency> dependencies) {

  /** Why a dependency is, or is not, satisfied. */
  public enum State { SATISFIED, NEVER_RUN, FAILED, STALE, OUTPUTS_MISSING, UNKNOWN }

  /**
   * The answer for one dependency.
   *
   * @param missingOutputPaths with OUTPUTS_MISSING, the newest success's outputs absent from disk
   */
  public record Dependency(String taskId, State state, Optional<Run> latestSuccess, Optional<Run> latest,
      String message, List<String> missingOutputPaths) {}
}
