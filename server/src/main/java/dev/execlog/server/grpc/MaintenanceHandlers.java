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
import dev.execlog.v1.ExportLogRequest;
import dev.execlog.v1.ExportLogResponse;
import dev.execlog.v1.ImportLogRequest;
import dev.execlog.v1.ImportLogResponse;
import dev.execlog.v1.ValidateLogResponse;
import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;

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
  private final Executor exports;

  public MaintenanceHandlers(DependencyChecker dependencies, CleanupOperation cleanup, LogValidator validator,
      LogExporter exporter, LogImporter importer, UploadScratch scratch, long maxImportBytes,
      Executor exports) {
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
    return InsightMapper.toProto(dependencies.check(request.getTaskIdsList(), InsightMapper.fromProto(request)));
  }

  void cleanup(CleanupExecutionsRequest request, StreamObserver<CleanupExecutionsResponse> out) {
    ServerCallStreamObserver<CleanupExecutionsResponse> stream = StreamResults.serverStream(out);
    ProgressSink progress = new StreamProgress<>(stream, MaintenanceMapper::cleanupProgress);
    StreamResults.finish(stream, () -> {
      int maxAge = request.hasMaxAgeDays() ? request.getMaxAgeDays() : CleanupOperation.DEFAULT_MAX_AGE_DAYS;
      int maxRuns = request.hasMaxRunsPerTask() ? request.getMaxRunsPerTask()
          : CleanupOperation.DEFAULT_MAX_RUNS_PER_TASK;
      CleanupOperation.Result result =
          cleanup.run(maxAge, maxRuns, MaintenanceMapper.fromProto(request.getRule()), request.getDryRun(), progress);
      List<String> ids = result.removedRunIds();
      for (int from = 0; from < ids.size() && !stream.isCancelled(); from += REMOVED_BATCH) {
        stream.onNext(MaintenanceMapper.removedRuns(ids.subList(from, Math.min(ids.size(), from + REMOVED_BATCH))));
      }
      return MaintenanceMapper.toProto(result, REMOVED_BATCH);
    });
  }

  void validate(StreamObserver<ValidateLogResponse> out) {
    ServerCallStreamObserver<ValidateLogResponse> stream = StreamResults.serverStream(out);
    ProgressSink progress = new StreamProgress<>(stream, MaintenanceMapper::validateProgress);
    StreamResults.finish(stream, () -> {
      LogValidator.Report report = validator.run(progress);
      return MaintenanceMapper.toProto(report);
    });
  }

  void export(ExportLogRequest request, StreamObserver<ExportLogResponse> out) {
    ServerCallStreamObserver<ExportLogResponse> stream = StreamResults.serverStream(out);
    ProgressSink progress = new StreamProgress<>(stream, MaintenanceMapper::exportProgress);
    ChunkedOutputStream<ExportLogResponse> chunks = new ChunkedOutputStream<>(stream, MaintenanceMapper::exportChunk);
    // The export waits for the client to take each chunk, and gRPC tells it so through a callback of
    // this same call, which cannot run while this handler holds the call's thread: write elsewhere.
    exports.execute(Context.current().wrap(() -> StreamResults.finish(stream, () -> {
      LogExporter.Format format = MaintenanceMapper.fromProto(request.getFormat());
      LogExporter.Selection selection = MaintenanceMapper.selection(request);
      long count;
      try {
        count = exporter.export(format, selection, chunks, progress);
        chunks.close();
      } catch (IOException e) {
        throw ExecLogException.storage("export failed: " + e.getMessage(), e);
      }
      return MaintenanceMapper.exported(count, chunks.sentBytes(), chunks.sha256());
    })));
  }

  StreamObserver<ImportLogRequest> importLog(StreamObserver<ImportLogResponse> out) {
    ServerCallStreamObserver<ImportLogResponse> stream = StreamResults.serverStream(out);
    ProgressSink progress = new StreamProgress<>(stream, MaintenanceMapper::importProgress);
    return new ImportReceiver(stream, progress, importer, scratch, maxImportBytes);
  }
}
