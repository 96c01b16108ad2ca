package dev.execlog.client.model;

import java.util.List;

/** The outcome of validating the log. */
public record ValidationReport(boolean valid, List<Problem> problems, long checkedCount) {

  /** One problem; {@code runId} is empty for problems of the log as a whole. */
  public record Problem(String runId, String taskId, String field, String message) {}
}
