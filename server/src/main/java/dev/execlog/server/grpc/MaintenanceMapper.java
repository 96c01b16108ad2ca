package dev.execlog.server.grpc;

import com.google.protobuf.ByteString;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.ops.CleanupOperation;
import dev.execlog.server.ops.LogExporter;
import dev.execlog.server.ops.LogImporter;
import dev.execlog.server.ops.LogValidator;
import dev.execlog.v1.CleanupExecutionsResponse;
import dev.execlog.v1.CleanupResult;
import dev.execlog.v1.CleanupRule;
import dev.execlog.v1.ExportChunk;
import dev.execlog.v1.ExportFormat;
import dev.execlog.v1.ExportLogRequest;
import dev.execlog.v1.ExportLogResponse;
import dev.execlog.v1.ExportResult;
import dev.execlog.v1.ImportLogResponse;
import dev.execlog.v1.ImportMode;
import dev.execlog.v1.ImportResult;
import dev.execlog.v1.Progress;
import dev.execlog.v1.RemovedRuns;
import dev.execlog.v1.ValidateLogResponse;
import dev.execlog.v1.ValidationProblem;
import dev.execlog.v1.ValidationResult;
import java.util.List;

/** Converts the maintenance calls (cleanup, validate, export, import) between the wire and the domain. */
final class MaintenanceMapper {

  /** The longest OpenLineage namespace an export takes. */
  static final int MAX_NAMESPACE_LENGTH = 1024;

  private MaintenanceMapper() {}

  static CleanupOperation.Rule fromProto(CleanupRule rule) {
    return switch (rule) {
      case CLEANUP_RULE_OLD_AND_BEYOND_COUNT, CLEANUP_RULE_UNSPECIFIED -> CleanupOperation.Rule.OLD_AND_BEYOND_COUNT;
      case CLEANUP_RULE_OLD_OR_BEYOND_COUNT -> CleanupOperation.Rule.OLD_OR_BEYOND_COUNT;
      case UNRECOGNIZED -> throw ExecLogException.invalid("rule", "unknown cleanup rule");
    };
  }

  static CleanupExecutionsResponse cleanupProgress(Progress p) {
    return CleanupExecutionsResponse.newBuilder().setProgress(p).build();
  }

  static CleanupExecutionsResponse removedRuns(List<String> runIds) {
    return CleanupExecutionsResponse.newBuilder().setRemovedRuns(RemovedRuns.newBuilder().addAllRunIds(runIds)).build();
  }

  /** The cleanup's result; its run ids only when at most {@code maxIds} went (they all came as removed_runs). */
  static CleanupExecutionsResponse toProto(CleanupOperation.Result result, int maxIds) {
    List<String> ids = result.removedRunIds();
    CleanupResult.Builder r = CleanupResult.newBuilder().setRemovedCount(ids.size()).setDryRun(result.dryRun());
    if (ids.size() <= maxIds) {
      r.addAllRemovedRunIds(ids);
    }
    return CleanupExecutionsResponse.newBuilder().setResult(r).build();
  }

  static ValidateLogResponse validateProgress(Progress p) {
    return ValidateLogResponse.newBuilder().setProgress(p).build();
  }

  static ValidateLogResponse toProto(LogValidator.Report report) {
    ValidationResult.Builder r = ValidationResult.newBuilder().setValid(report.valid()).setCheckedCount(report.checkedCount());
    report.problems().forEach(p -> r.addProblems(ValidationProblem.newBuilder()
        .setRunId(p.runId()).setTaskId(p.taskId()).setField(p.field()).setMessage(p.message())));
    return ValidateLogResponse.newBuilder().setResult(r).build();
  }

  static LogExporter.Format fromProto(ExportFormat format) {
    return switch (format) {
      case EXPORT_FORMAT_CSV -> LogExporter.Format.CSV;
      case EXPORT_FORMAT_CSV_WITH_FILES -> LogExporter.Format.CSV_WITH_FILES;
      case EXPORT_FORMAT_OPENLINEAGE -> LogExporter.Format.OPENLINEAGE;
      case EXPORT_FORMAT_JSON, EXPORT_FORMAT_UNSPECIFIED -> LogExporter.Format.JSON;
      case UNRECOGNIZED -> throw ExecLogException.invalid("format", "unknown export format");
    };
  }

  /** The runs an export holds and the OpenLineage namespace; empty fields are unset. */
  static LogExporter.Selection selection(ExportLogRequest request) {
    String namespace = request.getNamespace();
    if (namespace.length() > MAX_NAMESPACE_LENGTH) {
      throw ExecLogException.invalid("namespace", "at most " + MAX_NAMESPACE_LENGTH + " characters");
    }
    if (!namespace.isEmpty() && namespace.isBlank()) {
      throw ExecLogException.invalid("namespace", "blank; leave it empty for the default");
    }
    return new LogExporter.Selection(emptyToNull(request.getTaskId()), emptyToNull(request.getRunId()),
        emptyToNull(namespace));
  }

  private static String emptyToNull(String value) {
    return value.isEmpty() ? null : value;
  }

  static ExportLogResponse exportProgress(Progress p) {
    return ExportLogResponse.newBuilder().setProgress(p).build();
  }

  static ExportLogResponse exportChunk(ByteString bytes) {
    return ExportLogResponse.newBuilder().setChunk(ExportChunk.newBuilder().setData(bytes)).build();
  }

  static ExportLogResponse exported(long executionCount, long sizeBytes, String sha256) {
    return ExportLogResponse.newBuilder().setResult(ExportResult.newBuilder()
        .setExecutionCount(executionCount).setSizeBytes(sizeBytes).setSha256(sha256)).build();
  }

  static ImportLogResponse importProgress(Progress p) {
    return ImportLogResponse.newBuilder().setProgress(p).build();
  }

  static LogImporter.Mode fromProto(ImportMode mode) {
    return mode == ImportMode.IMPORT_MODE_REPLACE ? LogImporter.Mode.REPLACE : LogImporter.Mode.MERGE;
  }

  static ImportLogResponse toProto(LogImporter.Result result) {
    return ImportLogResponse.newBuilder().setResult(ImportResult.newBuilder()
        .setImportedCount(result.importedCount())
        .setSkippedCount(result.skippedCount())
        .setExecutionCount(result.executionCount())
        .setDryRun(result.dryRun())).build();
  }
}
