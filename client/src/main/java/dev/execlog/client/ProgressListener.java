package dev.execlog.client;

import dev.execlog.client.model.ProgressEvent;

/** Receives the progress events of a long operation (cleanup, validate, export, import). */
@FunctionalInterface
public interface ProgressListener {
  void onProgress(ProgressEvent event);

  ProgressListener NONE = event -> {};
}
