package dev.execlog.server.grpc;

import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.ops.CleanupOperation;
import dev.execlog.server.ops.DependencyChecker;
import dev.execlog.server.ops.LogExporter;
import dev.execlog.server.ops.LogImporter;
import dev.execlog.server.ops.LogValidator;
import dev.execlog.server.ops.ProgressSink;
import dev.execlog.v1.CheckDependenciesRequest;
import dev.execlog.v1.CheckDependenciesResponse;
import dev.execlog.v1.CleanupExecutionsRequest;
import dev.execlog.v1.CleanupExecutionsResponse;
import dev.execlog.v1.CleanupResult;
import dev.execlog.v1.ExportChunk;
import dev.execlog.v1.ExportLogRequest;
import dev.execlog.v1.ExportLogResponse;
import dev.execlog.v1.ExportResult;
import dev.execlog.v1.ImportLogRequest;
import dev.execlog.v1.ImportLogResponse;
import dev.execlog.v1.RemovedRuns;
import dev.execlog.v1.ValidateLogResponse;
import dev.execlog.v1.ValidationProblem;
import dev.execlog.v1.ValidationResult;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;

/**
 * The long operations (cleanup, validate, export, import) and the dependency check: each streams
 * progress events and ends with one result message, and stops unchanged when the client cancels.
 */
public final class MaintenanceHandlers {

  /** Run ids per message: 10,000 ids are about 380 KB, far below gRPC's 4 MiB message limit. */
  static final int REMOVED_BATCH = 10_000;

  private final DependencyChecker dependencies;
  private final CleanupOperation cleanup;
  private final LogValidator validator;
  private final LogExporter exporter;
  private final LogImporter importer;
  private final UploadScratch scratch;
  private final long maxImportBytes;
  private final java.util.concurrent.Executor exports;

  public MaintenanceHandlers(DependencyChecker dependencies, CleanupOperation cleanup, LogValidator validator,
      LogExporter exporter, LogImporter importer, UploadScratch scratch, long maxImportBytes,
      java.util.concurrent.Executor exports) {
    this.dependencies = dependencies;
    this.cleanup = cleanup;
    this.validator = validator;
    this.exporter = exporter;
    this.importer = importer;
    this.scratch = scratch;
    this.maxImportBytes = maxImportBytes;
    this.exports = exports;
  }

  CheckDependenciesResponse checkDependencies(CheckDependenciesRequest request) {
    DependencyChecker.Report report =
        dependencies.check(request.getTaskIdsList(), ProtoMapper.fromProto(request));
    CheckDependenciesResponse.Builder b = CheckDependenciesResponse.newBuilder().setSatisfied(report.satisfied());
    ResponseBudget budget = ResponseBudget.standard();
    for (DependencyChecker.Status s : report.dependencies()) {
      var message = ProtoMapper.toProto(s);
      budget.require(message, "task_ids", "the dependencies' newest runs are too heavy to answer at once: ask about"
          + " fewer tasks per call (the first " + b.getDependenciesCount() + " fit)");
      b.addDependencies(message);
    }
    return b.build();
  }

  void cleanup(CleanupExecutionsRequest request, StreamObserver<CleanupExecutionsResponse> out) {
    ServerCallStreamObserver<CleanupExecutionsResponse> stream = StreamResults.serverStream(out);
    ProgressSink progress = new StreamProgress<>(stream,
        p -> CleanupExecutionsResponse.newBuilder().setProgress(p).build());
    StreamResults.finish(stream, () -> {
      int maxAge = request.hasMaxAgeDays() ? request.getMaxAgeDays() : CleanupOperation.DEFAULT_MAX_AGE_DAYS;
      int maxRuns = request.hasMaxRunsPerTask() ? request.getMaxRunsPerTask()
          : CleanupOperation.DEFAULT_MAX_RUNS_PER_TASK;
      CleanupOperation.Rule rule = switch (request.getRule()) {
        case CLEANUP_RULE_OLD_AND_BEYOND_COUNT, CLEANUP_RULE_UNSPECIFIED -> CleanupOperation.Rule.OLD_AND_BEYOND_COUNT;
        case CLEANUP_RULE_OLD_OR_BEYOND_COUNT -> CleanupOperation.Rule.OLD_OR_BEYOND_COUNT;
        case UNRECOGNIZED -> throw ExecLogException.invalid("rule", "unknown cleanup rule");
      };
      CleanupOperation.Result result = cleanup.run(maxAge, maxRuns, rule, request.getDryRun(), progress);
      List<String> ids = result.removedRunIds();
      for (int from = 0; from < ids.size() && !stream.isCancelled(); from += REMOVED_BATCH) {
        stream.onNext(CleanupExecutionsResponse.newBuilder().setRemovedRuns(RemovedRuns.newBuilder()
            .addAllRunIds(ids.subList(from, Math.min(ids.size(), from + REMOVED_BATCH)))).build());
      }
      CleanupResult.Builder r = CleanupResult.newBuilder().setRemovedCount(ids.size()).setDryRun(result.dryRun());
      if (ids.size() <= REMOVED_BATCH) {
        r.addAllRemovedRunIds(ids);
      }
      return CleanupExecutionsResponse.newBuilder().setResult(r).build();
    });
  }

  void validate(StreamObserver<ValidateLogResponse> out) {
    ServerCallStreamObserver<ValidateLogResponse> stream = StreamResults.serverStream(out);
    ProgressSink progress = new StreamProgress<>(stream, p -> ValidateLogResponse.newBuilder().setProgress(p).build());
    StreamResults.finish(stream, () -> {
      LogValidator.Report report = validator.run(progress);
      ValidationResult.Builder r = ValidationResult.newBuilder()
          .setValid(report.valid()).setCheckedCount(report.checkedCount());
      report.problems().forEach(p -> r.addProblems(ValidationProblem.newBuilder()
          .setRunId(p.runId()).setTaskId(p.taskId()).setField(p.field()).setMessage(p.message())));
      return ValidateLogResponse.newBuilder().setResult(r).build();
    });
  }

  void export(ExportLogRequest request, StreamObserver<ExportLogResponse> out) {
    ServerCallStreamObserver<ExportLogResponse> stream = StreamResults.serverStream(out);
    ProgressSink progress = new StreamProgress<>(stream, p -> ExportLogResponse.newBuilder().setProgress(p).build());
    ChunkedOutputStream<ExportLogResponse> chunks = new ChunkedOutputStream<>(stream,
        bytes -> ExportLogResponse.newBuilder().setChunk(ExportChunk.newBuilder().setData(bytes)).build());
    // The export waits for the client to take each chunk, and gRPC tells it so through a callback of
    // this same call, which cannot run while this handler holds the call's thread: write elsewhere.
    exports.execute(io.grpc.Context.current().wrap(() -> StreamResults.finish(stream, () -> {
      LogExporter.Format format = switch (request.getFormat()) {
        case EXPORT_FORMAT_CSV -> LogExporter.Format.CSV;
        case EXPORT_FORMAT_CSV_WITH_FILES -> LogExporter.Format.CSV_WITH_FILES;
        case EXPORT_FORMAT_JSON, EXPORT_FORMAT_UNSPECIFIED -> LogExporter.Format.JSON;
        case UNRECOGNIZED -> throw ExecLogException.invalid("format", "unknown export format");
      };
      String task = request.getTaskId().isEmpty() ? null : request.getTaskId();
      long count;
      try {
        count = exporter.export(format, task, chunks, progress);
        chunks.close();
      } catch (IOException e) {
        throw ExecLogException.storage("export failed: " + e.getMessage(), e);
      }
      return ExportLogResponse.newBuilder().setResult(ExportResult.newBuilder()
          .setExecutionCount(count).setSizeBytes(chunks.sentBytes()).setSha256(chunks.sha256())).build();
    })));
  }

  StreamObserver<ImportLogRequest> importLog(StreamObserver<ImportLogResponse> out) {
    ServerCallStreamObserver<ImportLogResponse> stream = StreamResults.serverStream(out);
    ProgressSink progress = new StreamProgress<>(stream, p -> ImportLogResponse.newBuilder().setProgress(p).build());
    return new ImportReceiver(stream, progress, importer, scratch, maxImportBytes);
  }
}
