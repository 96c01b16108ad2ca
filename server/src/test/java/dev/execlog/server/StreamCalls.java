package dev.execlog.server;

import com.google.protobuf.ByteString;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.ExportFormat;
import dev.execlog.v1.ExportLogRequest;
import dev.execlog.v1.ExportLogResponse;
import dev.execlog.v1.ImportLogRequest;
import dev.execlog.v1.ImportLogResponse;
import dev.execlog.v1.ImportMode;
import dev.execlog.v1.ImportOptions;
import dev.execlog.v1.Progress;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Helpers that drive the streaming RPCs the way a client would. */
final class StreamCalls {
  private StreamCalls() {}

  record Export(String text, List<Progress> progress, ExportLogResponse result) {}

  record Import(List<Progress> progress, ImportLogResponse result) {}

  static Export export(ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub stub, ExportFormat format) {
    return export(stub, ExportLogRequest.newBuilder().setFormat(format).build());
  }

  static Export export(ExecutionLogServiceGrpc.ExecutionLogServiceBlockingStub stub, ExportLogRequest request) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<Progress> progress = new ArrayList<>();
    ExportLogResponse result = null;
    Iterator<ExportLogResponse> it = stub.exportLog(request);
    while (it.hasNext()) {
      ExportLogResponse m = it.next();
      if (m.hasChunk()) {
        bytes.writeBytes(m.getChunk().getData().toByteArray());
      } else if (m.hasProgress()) {
        progress.add(m.getProgress());
      } else {
        result = m;
      }
    }
    return new Export(bytes.toString(StandardCharsets.UTF_8), progress, result);
  }

  /** Uploads {@code text} in small chunks; throws the call's StatusRuntimeException on failure. */
  static Import importLog(ExecutionLogServiceGrpc.ExecutionLogServiceStub stub, String text, ImportMode mode)
      throws Exception {
    return importLog(stub, text, ImportOptions.newBuilder().setMode(mode).build());
  }

  /** Uploads {@code text} with the given options; throws the call's StatusRuntimeException on failure. */
  static Import importLog(ExecutionLogServiceGrpc.ExecutionLogServiceStub stub, String text, ImportOptions options)
      throws Exception {
    return importLog(stub, text.getBytes(StandardCharsets.UTF_8), options);
  }

  /** Uploads raw bytes, which need not be valid UTF-8. */
  static Import importLog(ExecutionLogServiceGrpc.ExecutionLogServiceStub stub, byte[] data, ImportOptions options)
      throws Exception {
    CompletableFuture<ImportLogResponse> done = new CompletableFuture<>();
    List<Progress> progress = new ArrayList<>();
    StreamObserver<ImportLogRequest> requests = stub.withDeadlineAfter(60, TimeUnit.SECONDS)
        .importLog(new StreamObserver<>() {
          ImportLogResponse result;

          @Override
          public void onNext(ImportLogResponse m) {
            if (m.hasProgress()) {
              progress.add(m.getProgress());
            } else {
              result = m;
            }
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(result);
          }
        });
    requests.onNext(ImportLogRequest.newBuilder().setOptions(options).build());
    for (int off = 0; off < data.length; off += 1000) {
      requests.onNext(ImportLogRequest.newBuilder()
          .setChunk(ByteString.copyFrom(data, off, Math.min(1000, data.length - off))).build());
    }
    requests.onCompleted();
    try {
      return new Import(progress, done.get(60, TimeUnit.SECONDS));
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }
}
