package dev.execlog.client.model;

/**
 * A lineage question: where to start (one of task, run or path), which way, how far, at which grain.
 * Start with {@link #ofTask}, {@link #ofRun} or {@link #ofPath} and adjust with the {@code with} methods.
 *
 * @param depth hops from the start; 0 for the server's default (5), at most 50
 * @param maxNodes node cap; 0 for the server's default and maximum (10,000)
 */
public record LineageQuery(String taskId, String runId, String path, Direction direction, int depth, Level level,
    int maxNodes) {

  /** Which way to walk. */
  public enum Direction { UPSTREAM, DOWNSTREAM, BOTH }

  /** One node per task, or per run. */
  public enum Level { TASK, RUN }

  public static LineageQuery ofTask(String taskId) {
    return new LineageQuery(taskId, null, null, Direction.BOTH, 0, Level.TASK, 0);
  }

  public static LineageQuery ofRun(String runId) {
    return new LineageQuery(null, runId, null, Direction.BOTH, 0, Level.TASK, 0);
  }

  public static LineageQuery ofPath(String path) {
    return new LineageQuery(null, null, path, Direction.BOTH, 0, Level.TASK, 0);
  }

  public LineageQuery withDirection(Direction d) {
    return new LineageQuery(taskId, runId, path, d, depth, level, maxNodes);
  }

  public LineageQuery withDepth(int hops) {
    return new LineageQuery(taskId, runId, path, direction, hops, level, maxNodes);
  }

  public LineageQuery withLevel(Level l) {
    return new LineageQuery(taskId, runId, path, direction, depth, l, maxNodes);
  }

  public LineageQuery withMaxNodes(int n) {
    return new LineageQuery(taskId, runId, path, direction, depth, level, n);
  }
}
