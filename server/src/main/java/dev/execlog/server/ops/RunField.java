package dev.execlog.server.ops;

/** The fields of a run an update may change; {@code run_id} and {@code task_id} never change. */
public enum RunField {
  TASK_TYPE("task_type"),
  RECORD_TIME("record_time"),
  SUCCESS("success"),
  DURATION("duration"),
  REPORT_PATH("report_path"),
  INPUT_FILES("input_files"),
  OUTPUT_FILES("output_files"),
  HOSTNAME("hostname"),
  /** The whole map of extra keys; single keys are named as {@code extra_fields.KEY}. */
  EXTRA_FIELDS("extra_fields");

  private final String protoName;

  RunField(String protoName) {
    this.protoName = protoName;
  }

  public String protoName() {
    return protoName;
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
