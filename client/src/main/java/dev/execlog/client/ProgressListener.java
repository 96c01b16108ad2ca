package dev.execlog.client;

import dev.execlog.client.model.ProgressEvent;
import java.util.List;

/** Receives the progress events of a long operation (cleanup, validate, export, import). */
@FunctionalInterface
public interface ProgressListener {
  void onProgress(ProgressEvent event);

  /**
   * A batch of the runs a cleanup removed (or, in a dry run, would remove), as it arrives; the
   * result lists them all too. A caller that may stop before the result keeps them from here.
   */
  default void onRemovedRuns(List<String> runIds) {}

  ProgressListener NONE = event -> {};
}
