package dev.execlog.server.store;

import dev.execlog.server.json.LoadProblem;
import dev.execlog.server.json.LoadedLog;
import dev.execlog.server.json.LogFileCodec;
import dev.execlog.server.json.LogFormatException;
import dev.execlog.server.model.Execution;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Loads a log file into an index with parsing and indexing on two threads: at start-up each takes
 * about as long as the other, so a second core halves the wait. The indexing side also finds the run
 * ids a file repeats, with the lookup it makes anyway (the parser's own check is left off).
 */
final class PipelinedLoad {

  private static final int BATCH = 2048;
  private static final List<Execution> END = List.of();

  private PipelinedLoad() {}

  static LoadedLog into(LogFileCodec codec, InputStream in, ExecutionIndex index) throws LogFormatException {
    BlockingQueue<List<Execution>> queue = new ArrayBlockingQueue<>(32);
    AtomicReference<LoadedLog> loaded = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread parser = new Thread(() -> {
      List<Execution>[] batch = new List[] {new ArrayList<>(BATCH)};
      try {
        loaded.set(codec.read(in, null, run -> {
          batch[0].add(run);
          if (batch[0].size() == BATCH) {
            put(queue, batch[0]);
            batch[0] = new ArrayList<>(BATCH);
          }
        }));
        put(queue, batch[0]);
      } catch (Throwable t) {
        failure.set(t);
      } finally {
        put(queue, END);
      }
    }, "execlog-load");
    parser.setDaemon(true);
    parser.start();
    List<LoadProblem> repeated = new ArrayList<>();
    try {
      int position = 0;
      for (List<Execution> batch = queue.take(); batch != END; batch = queue.take()) {
        for (Execution run : batch) {
          if (index.load(run)) {
            repeated.add(new LoadProblem(run.runId(), run.taskId(), "executions[" + position + "].task_run_id",
                "run id " + run.runId() + " appears more than once"));
          }
          position++;
        }
      }
      index.finishLoad();
      parser.join();
    } catch (InterruptedException e) {
      parser.interrupt();
      Thread.currentThread().interrupt();
      throw new LogFormatException("interrupted while loading the log", e);
    }
    Throwable t = failure.get();
    if (t instanceof LogFormatException lfe) {
      throw lfe;
    }
    if (t != null) {
      throw new LogFormatException("could not load the log: " + t, t);
    }
    LoadedLog log = loaded.get();
    if (repeated.isEmpty()) {
      return log;
    }
    List<LoadProblem> problems = new ArrayList<>(log.problems());
    problems.addAll(repeated);
    return new LoadedLog(log.metadata(), log.executions(), problems);
  }

  private static void put(BlockingQueue<List<Execution>> queue, List<Execution> batch) {
    try {
      queue.put(batch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading the log", e);
    }
  }
}
