package dev.execlog.examples;

import dev.execlog.client.ExecutionLogClient;
import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.Run;
import java.nio.file.Path;

/**
 * Runs the two-task pipeline t_1I → t_1P against an execlog server, then shows what the log knows:
 * the history of t_1P and which run produced its input.
 *
 * <p>Usage: {@code PipelineMain [server] [project-root]}; defaults: {@code EXECLOG_SERVER} or
 * localhost:50051, and the current directory (which should be the server's project root).
 */
public final class PipelineMain {

  public static void main(String[] args) {
    String server = args.length > 0 ? args[0] : ExecutionLogClient.defaultTarget();
    Path root = Path.of(args.length > 1 ? args[1] : ".").toAbsolutePath().normalize();
    System.exit(run(server, root) ? 0 : 1);
  }

  static boolean run(String server, Path root) {
    try (ExecutionLogClient log = ExecutionLogClient.connect(server)) {
      // Before t_1I has ever succeeded, t_1P refuses to run.
      Run profiled = new ProfileCustomers(root).execute(log);
      if (profiled == null) {
        System.out.println("t_1P waits for t_1I");
      }
      Run ingested = new IngestCustomers(root).execute(log);
      System.out.println("recorded t_1I run " + ingested.runId());
      profiled = new ProfileCustomers(root).execute(log);
      if (profiled == null || !profiled.success()) {
        return false;
      }
      System.out.println("recorded t_1P run " + profiled.runId());
      for (Run r : log.history(HistoryQuery.task("t_1P"), 5)) {
        System.out.printf("history: %s %s %.3fs %s%n", r.taskId(), r.recordTime(), r.executionTimeSeconds(),
            r.success() ? "success" : "failed");
      }
      Run producer = log.producer(IngestCustomers.PROCESSED).orElseThrow();
      System.out.println("t_1P's input was produced by " + producer.taskId() + " run " + producer.runId());
      return true;
    }
  }
}
