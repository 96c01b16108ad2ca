package dev.execlog.server.ops;

import dev.execlog.server.model.Execution;
import java.util.function.BiConsumer;

/**
 * The fields of a run an update may change; {@code run_id} and {@code task_id} never change. Each
 * field copies itself from the update's values onto the run being built, so an update walks its
 * mask instead of testing every field.
 */
public enum RunField {
  TASK_TYPE("task_type", (from, to) -> to.taskType(from.taskType())),
  RECORD_TIME("record_time", (from, to) -> to.recordTimeMicros(from.recordTimeMicros())),
  SUCCESS("success", (from, to) -> to.success(from.success())),
  DURATION("duration", (from, to) -> to.executionTime(from.executionTimeSeconds(), from.integerExecutionTime())),
  REPORT_PATH("report_path", (from, to) -> to.reportPath(from.reportPath())),
  INPUT_FILES("input_files", (from, to) -> to.inputFiles(from.inputFiles())),
  OUTPUT_FILES("output_files", (from, to) -> to.outputFiles(from.outputFiles())),
  HOSTNAME("hostname", (from, to) -> to.hostname(from.hostname())),
  /** The whole map of extra keys; single keys are named as {@code extra_fields.KEY}. */
  EXTRA_FIELDS("extra_fields", (from, to) -> to.extraFields(from.extraFields()));

  private final String protoName;
  private final BiConsumer<Execution, Execution.Builder> copy;

  RunField(String protoName, BiConsumer<Execution, Execution.Builder> copy) {
    this.protoName = protoName;
    this.copy = copy;
  }

  public String protoName() {
    return protoName;
  }

  /** Sets this field of {@code to} to its value in {@code from}. */
  public void copy(Execution from, Execution.Builder to) {
    copy.accept(from, to);
  }

  /** The field of this name, or null. */
  public static RunField byProtoName(String name) {
    for (RunField f : values()) {
      if (f.protoName.equals(name)) {
        return f;
      }
    }
    return null;
  }
}
