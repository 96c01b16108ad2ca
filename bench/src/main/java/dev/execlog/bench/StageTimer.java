package dev.execlog.bench;

import dev.execlog.client.ProgressListener;
import dev.execlog.client.model.ProgressEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times the stages of a long operation from its progress events: when each stage was first and
 * last reported, relative to the start of the call. Shows where a slow operation spends its time
 * (for an import: receiving the upload, parsing, checking, writing).
 */
final class StageTimer implements ProgressListener {

  private final long start = System.nanoTime();
  private final Map<String, long[]> stages = new LinkedHashMap<>();

  @Override
  public synchronized void onProgress(ProgressEvent event) {
    long now = System.nanoTime() - start;
    long[] span = stages.computeIfAbsent(event.stage(), s -> new long[] {now, now});
    span[1] = now;
  }

  /** Such as {@code "stages(s): receive 0.00-1.20 parse 1.25-3.40 write 9.80; end 9.81"}. */
  synchronized String summary() {
    StringBuilder b = new StringBuilder("stages(s):");
    stages.forEach((stage, span) -> {
      b.append(' ').append(stage).append(' ').append(String.format("%.2f", span[0] / 1e9));
      if (span[1] != span[0]) {
        b.append('-').append(String.format("%.2f", span[1] / 1e9));
      }
    });
    return b.append("; end ").append(String.format("%.2f", (System.nanoTime() - start) / 1e9)).toString();
  }
}
