package dev.execlog.client;

import dev.execlog.client.model.ImportResult;
import dev.execlog.v1.ExecutionLogServiceGrpc;
import dev.execlog.v1.ImportLogRequest;
import dev.execlog.v1.ImportLogResponse;
import dev.execlog.v1.ImportOptions;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One import call: uploads the file in 64 KiB chunks as fast as the server takes them (flow
 * control), relays progress, and returns the result or throws the call's failure.
 */
final class ImportUpload {

  private static final int CHUNK = 64 * 1024;

  private final ExecutionLogServiceGrpc.ExecutionLogServiceStub stub;
  private final Object readiness = new Object();

  ImportUpload(ExecutionLogServiceGrpc.ExecutionLogServiceStub stub) {
    this.stub = stub;
  }

  ImportResult run(InputStream file, ImportOptions options, ProgressListener progress) {
    CompletableFuture<ImportResult> result = new CompletableFuture<>();
    CompletableFuture<ClientCallStreamObserver<ImportLogRequest>> started = new CompletableFuture<>();
    stub.importLog(new ClientResponseObserver<ImportLogRequest, ImportLogResponse>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<ImportLogRequest> requests) {
        requests.setOnReadyHandler(() -> {
          synchronized (readiness) {
            readiness.notifyAll();
          }
        });
        started.complete(requests);
      }

      @Override
      public void onNext(ImportLogResponse m) {
        if (m.hasProgress()) {
          progress.onProgress(ClientMapper.progress(m.getProgress()));
        } else if (m.hasResult()) {
          result.complete(new ImportResult(m.getResult().getImportedCount(), m.getResult().getSkippedCount(),
              m.getResult().getExecutionCount(), m.getResult().getDryRun()));
        }
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        result.completeExceptionally(Status.INTERNAL.withDescription("the import ended without a result").asRuntimeException());
      }
    });
    ClientCallStreamObserver<ImportLogRequest> requests = started.join();
    try {
      requests.onNext(ClientMapper.importStart(options));
      byte[] buffer = new byte[CHUNK];
      int n;
      while ((n = file.readNBytes(buffer, 0, buffer.length)) > 0 && !result.isDone()) {
        awaitReady(requests, result);
        requests.onNext(ClientMapper.importChunk(buffer, n));
      }
      requests.onCompleted();
    } catch (IOException e) {
      requests.onError(Status.CANCELLED.withDescription("cannot read the file to import").asRuntimeException());
      throw new ExecLogClientException(Status.Code.INVALID_ARGUMENT, "", "file",
          "cannot read the file to import: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      requests.cancel("client failed", e);
      throw ExecLogClientException.from(e);
    }
    try {
      return result.get();
    } catch (ExecutionException e) {
      throw ExecLogClientException.from(e.getCause());
    } catch (InterruptedException e) {
      requests.cancel("interrupted", e);
      Thread.currentThread().interrupt();
      throw new ExecLogClientException(Status.Code.CANCELLED, "", "", "the import was interrupted", e);
    }
  }

  private void awaitReady(ClientCallStreamObserver<ImportLogRequest> requests, CompletableFuture<?> result) {
    synchronized (readiness) {
      while (!requests.isReady() && !result.isDone()) {
        try {
          readiness.wait(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
