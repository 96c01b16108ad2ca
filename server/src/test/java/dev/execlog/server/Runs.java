package dev.execlog.server;

import com.google.protobuf.Duration;
import dev.execlog.v1.Execution;
import dev.execlog.v1.InputFile;
import dev.execlog.v1.OutputFile;
import dev.execlog.v1.RecordExecutionRequest;

/** Request builders shared by the tests. */
public final class Runs {
  private Runs() {}

  public static Execution.Builder run(String taskId) {
    return Execution.newBuilder()
        .setTaskId(taskId)
        .setTaskType("profiling")
        .setSuccess(true)
        .setDuration(Duration.newBuilder().setSeconds(12).setNanos(500_000_000))
        .setReportPath("DATA/reports/" + taskId + "_report.json");
  }

  public static Execution.Builder withFiles(Execution.Builder b, String input, String output) {
    return b.addInputFiles(InputFile.newBuilder().setName("in").setPath(input))
        .addOutputFiles(OutputFile.newBuilder().setPath(output).setType("csv").setDescription("result"));
  }

  public static RecordExecutionRequest record(Execution.Builder b) {
    return RecordExecutionRequest.newBuilder().setExecution(b).build();
  }
}
