package dev.execlog.client.model;

/** Progress of a long operation: the stage and how many of its items are done ({@code total} 0 if unknown). */
public record ProgressEvent(String stage, long done, long total, String message) {

  /**
   * The stage a cleanup or import reports once, right after its change became durable: from then
   * on the change stands, whatever happens to the call; {@code done} counts the runs removed or
   * imported.
   */
  public static final String COMMITTED = "committed";

  /** Whether this event says the operation's change is durable (see {@link #COMMITTED}). */
  public boolean committed() {
    return COMMITTED.equals(stage);
  }
}
