package dev.execlog.client.model;

/** Which runs a cleanup removes. */
public enum CleanupRule {
  /**
   * The reference library's rule and the default: a run goes only when it is both older than the
   * maximum age and beyond its task's newest maximum-count runs. Each task's newest runs stay
   * whatever their age, and every run younger than the age stays.
   */
  OLD_AND_BEYOND_COUNT,
  /**
   * Stricter: a run goes when it is older than the age or beyond its task's newest runs, so a task
   * idle for longer than the age loses every run. Only when asked for by name.
   */
  OLD_OR_BEYOND_COUNT
}
