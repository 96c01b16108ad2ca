package dev.execlog.client.model;

/**
 * One committed change of the log, as a watch delivers it.
 *
 * @param run the run as it now is (RECORDED, UPDATED) or as it was (REMOVED)
 * @param sequence grows by one per committed change on the server (filtered watches see gaps);
 *     restarts with the server
 */
public record ExecutionChange(Kind kind, Run run, long sequence) {

  /** What happened to the run. */
  public enum Kind { RECORDED, UPDATED, REMOVED, UNKNOWN }
}
