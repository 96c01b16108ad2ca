package dev.execlog.server;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import dev.execlog.v1.Execution;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.InputFile;
import dev.execlog.v1.OutputFile;
import dev.execlog.v1.RecordExecutionRequest;
import java.util.List;

/** Records runs with given times, files and durations, for data-flow tests. */
final class FlowRuns {

  /** 2023-11-14T00:00:00Z, a Tuesday. */
  static final long DAY0 = 1_699_920_000L;

  private final ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub stub;

  FlowRuns(ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub stub) {
    this.stub = stub;
  }

  /** Records a successful run of {@code task} at {@code DAY0 + seconds}; returns its run id. */
  String run(String task, long seconds, List<String> inputs, List<String> outputs) {
    return run(task, "profiling", seconds, true, 1.0, inputs, outputs);
  }

  String run(String task, String type, long seconds, boolean success, double durationSeconds, List<String> inputs,
      List<String> outputs) {
    long whole = (long) durationSeconds;
    Execution.Builder b = Execution.newBuilder()
        .setTaskId(task)
        .setTaskType(type)
        .setSuccess(success)
        .setRecordTime(Timestamp.newBuilder().setSeconds(DAY0 + seconds))
        .setDuration(Duration.newBuilder().setSeconds(whole)
            .setNanos((int) Math.round((durationSeconds - whole) * 1e9)));
    inputs.forEach(p -> b.addInputFiles(InputFile.newBuilder().setName("in").setPath(p)));
    outputs.forEach(p -> b.addOutputFiles(OutputFile.newBuilder().setPath(p)));
    return stub.recordExecution(RecordExecutionRequest.newBuilder().setExecution(b).build())
        .getExecution().getRunId();
  }
}
