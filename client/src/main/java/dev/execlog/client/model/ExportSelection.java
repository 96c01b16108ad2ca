package dev.execlog.client.model;

/**
 * Which runs an export holds, and the OpenLineage job namespace of an OpenLineage export; null
 * fields mean every task, every run and the server's default namespace ({@code execlog://<server
 * host name>}). The filters combine with AND.
 */
public record ExportSelection(String taskId, String runId, String namespace) {

  public static ExportSelection all() {
    return new ExportSelection(null, null, null);
  }

  public static ExportSelection task(String taskId) {
    return new ExportSelection(taskId, null, null);
  }
}
