package com.example.runner;

import dev.execlog.client.ConnectionOptions;
import dev.execlog.client.ExecLogClientException;
import dev.execlog.client.ExecutionLogClient;
import dev.execlog.client.model.DependencyReport;
import dev.execlog.client.model.HistoryQuery;
import dev.execlog.client.model.NewRun;
import dev.execlog.client.model.Run;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A task runner in a project of its own, depending only on {@code dev.execlog:execlog-client}: it
 * checks that its dependency has succeeded, does its work, records the run with what it read and
 * wrote, and prints the run id and how many runs the task has. It connects as every execlog client
 * does: EXECLOG_SERVER, EXECLOG_TLS_CA, EXECLOG_TOKEN (or EXECLOG_TOKEN_FILE) and the rest.
 *
 * <p>Usage: {@code TaskRunner --task ID [--type TYPE] [--depends-on ID] [--output PATH]}. Exit 0 when
 * recorded, 3 when the dependency is not satisfied, 1 on an error (printed with its code and reason).
 */
public final class TaskRunner {

  public static void main(String[] args) {
    String task = "t_java";
    String type = "profiling";
    String dependsOn = null;
    String output = "DATA/processed/java/result.csv";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--task" -> task = args[i + 1];
        case "--type" -> type = args[i + 1];
        case "--depends-on" -> dependsOn = args[i + 1];
        case "--output" -> output = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.exit(run(task, type, dependsOn, output));
  }

  static int run(String task, String type, String dependsOn, String output) {
    try (ExecutionLogClient log = ExecutionLogClient.connect(ConnectionOptions.fromEnvironment())) {
      if (dependsOn != null) {
        DependencyReport deps = log.checkDependencies(List.of(dependsOn));
        if (!deps.satisfied()) {
          System.err.println("java-consumer: " + dependsOn + " is not satisfied: " + deps.dependencies().get(0).message());
          return 3;
        }
      }

      Instant started = Instant.now();
      // The task's own work goes here; this one always succeeds.
      NewRun.Builder run = NewRun.builder(task, type).success(true).duration(Duration.between(started, Instant.now()))
          .reportPath("DATA/reports/" + task + "_report.json")
          .output(output, "csv", "written by the Java consumer");
      if (dependsOn != null) {
        run.input(dependsOn, "DATA/processed/" + dependsOn + "/output.csv");
      }
      Run recorded = log.record(run.build());

      List<String> history = new ArrayList<>();
      for (Run r : log.history(HistoryQuery.task(task), 100)) {
        history.add(r.runId());
      }
      if (!history.contains(recorded.runId())) {
        System.err.println("java-consumer: run " + recorded.runId() + " is missing from the history " + history);
        return 1;
      }
      System.out.println(recorded.runId() + " " + history.size());
      return 0;
    } catch (ExecLogClientException e) {
      // Branch on the code and the reason, never on the message.
      System.err.println("java-consumer: " + e.code() + " (" + e.reason() + "): " + e.getMessage());
      return 1;
    }
  }
}
