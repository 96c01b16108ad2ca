package dev.execlog.server.grpc;

import dev.execlog.server.model.ErrorReason;
import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.ops.LogImporter;
import dev.execlog.server.ops.PathRebase;
import dev.execlog.server.ops.ProgressSink;
import dev.execlog.v1.ImportLogRequest;
import dev.execlog.v1.ImportLogResponse;
import dev.execlog.v1.ImportMode;
import dev.execlog.v1.ImportOptions;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One ImportLog call as it arrives: the options first, then the file in chunks, spooled to a
 * scratch file (so a large import never sits in memory) and checked against the size limit as it
 * comes; at the end the whole file is imported at once, or nothing is.
 */
final class ImportReceiver implements StreamObserver<ImportLogRequest> {

  private final ServerCallStreamObserver<ImportLogResponse> stream;
  private final ProgressSink progress;
  private final LogImporter importer;
  private final UploadScratch scratch;
  private final long maxImportBytes;
  /** From the first message; null until it came. */
  private ImportOptions options;
  private PathRebase rebase;
  private Path upload;
  private OutputStream sink;
  private long received;
  private boolean failed;

  ImportReceiver(ServerCallStreamObserver<ImportLogResponse> stream, ProgressSink progress, LogImporter importer,
      UploadScratch scratch, long maxImportBytes) {
    this.stream = stream;
    this.progress = progress;
    this.importer = importer;
    this.scratch = scratch;
    this.maxImportBytes = maxImportBytes;
  }

  @Override
  public void onNext(ImportLogRequest message) {
    if (failed) {
      return;
    }
    try {
      accept(message);
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  private void accept(ImportLogRequest message) {
    if (options == null) {
      if (!message.hasOptions()) {
        throw ExecLogException.invalid("options", "the first message must carry the import options");
      }
      options = message.getOptions();
      if (options.getMode() != ImportMode.IMPORT_MODE_MERGE && options.getMode() != ImportMode.IMPORT_MODE_REPLACE) {
        throw ExecLogException.invalid("options.mode", "choose IMPORT_MODE_MERGE or IMPORT_MODE_REPLACE");
      }
      rebase = PathRebase.from(options.getSourceRoot(), "options.source_root");
      openUpload();
      return;
    }
    if (message.hasOptions()) {
      throw ExecLogException.invalid("options", "only the first message may carry options");
    }
    received += message.getChunk().size();
    if (received > maxImportBytes) {
      throw ExecLogException.tooLarge(ErrorReason.IMPORT_TOO_LARGE, "chunk", maxImportBytes,
          "the imported file is over the limit of " + maxImportBytes + " bytes (--max-import-bytes)");
    }
    try {
      message.getChunk().writeTo(sink);
    } catch (IOException e) {
      throw ExecLogException.storage("cannot store the upload: " + e.getMessage(), e);
    }
    progress.report("receive", received, 0, "receiving the file");
  }

  private void openUpload() {
    try {
      upload = scratch.newUpload();
      sink = new BufferedOutputStream(Files.newOutputStream(upload), 1 << 16);
    } catch (IOException e) {
      throw ExecLogException.storage("cannot store the upload: " + e.getMessage(), e);
    }
  }

  @Override
  public void onError(Throwable t) {
    failed = true;
    discard();
  }

  @Override
  public void onCompleted() {
    if (failed) {
      return;
    }
    if (options == null) {
      fail(ExecLogException.invalid("options", "the import sent no options and no file"));
      return;
    }
    StreamResults.finish(stream, () -> {
      try {
        sink.close();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(upload), 1 << 16)) {
          return MaintenanceMapper.toProto(importer.run(in, received, MaintenanceMapper.fromProto(options.getMode()),
              options.getDryRun(), rebase, progress));
        }
      } catch (IOException e) {
        throw ExecLogException.storage("cannot read the upload: " + e.getMessage(), e);
      } finally {
        discard();
      }
    });
  }

  private void fail(RuntimeException e) {
    failed = true;
    discard();
    stream.onError(StatusMapper.toStatus(e));
  }

  private void discard() {
    try {
      if (sink != null) {
        sink.close();
      }
      if (upload != null) {
        Files.deleteIfExists(upload);
      }
    } catch (IOException ignored) {
      // a leftover temporary file is harmless and named as such
    }
  }
}
