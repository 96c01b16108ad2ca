package dev.execlog.server.ops;

import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import dev.execlog.server.store.ExecutionStore;
import dev.execlog.server.store.LogView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Walks the data flow between runs through their files, from the store's producer and consumer
 * indexes, so the cost follows the size of the answer rather than of the log.
 *
 * <p>The one linking rule: a run that read a path links to the newest run that wrote the path and
 * was recorded strictly before it. A file re-produced later therefore never links back to readers of
 * the older version. At task level, tasks are linked when any of their runs are, which is how
 * re-runs create cycles; the walk keeps a visited set per direction so cycles end.
 */
public final class LineageWalker {

  public static final int DEFAULT_DEPTH = 5;
  public static final int MAX_DEPTH = 50;
  public static final int MAX_NODES = 10_000;
  /** Edges allowed per allowed node: task graphs may carry several paths between two tasks. */
  public static final int EDGES_PER_NODE = 10;

  /** Which way to walk. */
  public enum Direction { UPSTREAM, DOWNSTREAM, BOTH }

  /** The grain of the graph. */
  public enum Level { TASK, RUN }

  /** Where to start: exactly one of the three is non-null. */
  public record Start(String taskId, String runId, String path) {}

  /** A validated lineage question. */
  public record Query(Start start, Direction direction, int depth, Level level, int maxNodes) {}

  private final ExecutionStore store;
  private final RunValidator validator;

  public LineageWalker(ExecutionStore store, RunValidator validator) {
    this.store = store;
    this.validator = validator;
  }

  /**
   * @param depth hops from the start; 0 for {@link #DEFAULT_DEPTH}
   * @param maxNodes node cap; 0 or more than {@link #MAX_NODES} for {@link #MAX_NODES}
   */
  public static Query query(Start start, Direction direction, int depth, Level level, int maxNodes) {
    if (start == null) {
      throw ExecLogException.invalid("start", "name a task_id, a run_id or a path to start from");
    }
    if (depth < 0 || depth > MAX_DEPTH) {
      throw ExecLogException.invalid("depth", "must be between 0 (default " + DEFAULT_DEPTH + ") and " + MAX_DEPTH);
    }
    if (maxNodes < 0) {
      throw ExecLogException.invalid("max_nodes", "must not be negative");
    }
    return new Query(start, direction, depth == 0 ? DEFAULT_DEPTH : depth, level,
        maxNodes == 0 || maxNodes > MAX_NODES ? MAX_NODES : maxNodes);
  }

  public LineageGraph walk(Query q) {
    Start s = q.start();
    String taskId = s.taskId() != null ? validator.taskId(s.taskId(), "task_id") : null;
    String runId = s.runId() != null ? validator.lookupRunId(s.runId(), "run_id") : null;
    String path = s.path() != null ? validator.paths().normalize(s.path(), "path") : null;
    return store.read(view -> {
      Walk walk = new Walk(view, q.level() == Level.TASK);
      Ref start = walk.start(taskId, runId, path);
      GraphBuilder graph = new GraphBuilder(q.maxNodes(), q.maxNodes() * EDGES_PER_NODE);
      graph.add(start, 0);
      boolean complete = true;
      if (q.direction() != Direction.DOWNSTREAM) {
        complete = bfs(walk, graph, start, true, q.depth());
      }
      if (complete && q.direction() != Direction.UPSTREAM) {
        bfs(walk, graph, start, false, q.depth());
      }
      return graph.build(start.id(), view);
    });
  }

  /** Breadth first, so each node gets its fewest hops; false when a cap stopped it. */
  private static boolean bfs(Walk walk, GraphBuilder graph, Ref start, boolean upstream, int depth) {
    Set<String> visited = new HashSet<>();
    visited.add(start.id());
    List<Ref> frontier = List.of(start);
    for (int d = 1; !frontier.isEmpty(); d++) {
      if (d > depth) {
        // The depth stops the walk: the graph is partial when a node at the edge has a neighbour
        // not in it, which the answer must say rather than look complete.
        walk.prefetch(frontier, upstream);
        for (Ref from : frontier) {
          for (Hop hop : walk.hops(from, upstream)) {
            if (!visited.contains(hop.to().id())) {
              graph.markTruncated();
              return true;
            }
          }
        }
        return true;
      }
      List<Ref> next = new ArrayList<>();
      walk.prefetch(frontier, upstream);
      for (Ref from : frontier) {
        for (Hop hop : walk.hops(from, upstream)) {
          if (!graph.add(hop.to(), d)) {
            return false;
          }
          boolean added = upstream ? graph.link(hop.to(), from, hop.path()) : graph.link(from, hop.to(), hop.path());
          if (!added) {
            return false;
          }
          if (visited.add(hop.to().id())) {
            next.add(hop.to());
          }
        }
      }
      frontier = next;
    }
    return true;
  }

  /** A node while walking: a task id, a run, or a file path. */
  record Ref(String id, String taskId, Execution run, String path) {
    static Ref task(String taskId) {
      return new Ref("task:" + taskId, taskId, null, null);
    }

    static Ref run(Execution run) {
      return new Ref("run:" + run.runId(), null, run, null);
    }

    static Ref file(String path) {
      return new Ref("file:" + path, null, null, path);
    }
  }

  /** One step of a walk: the node reached and the file that links it. */
  record Hop(Ref to, String path) {}

  /** The neighbour rules of one walk over one consistent view; caches index lookups per path. */
  private static final class Walk {
    private final LogView view;
    private final boolean taskLevel;
    private final Map<String, List<Execution>> producers = new HashMap<>();
    private final Map<String, List<Execution>> consumers = new HashMap<>();
    private final Map<String, List<Execution>> taskRuns = new HashMap<>();

    Walk(LogView view, boolean taskLevel) {
      this.view = view;
      this.taskLevel = taskLevel;
    }

    Ref start(String taskId, String runId, String path) {
      if (taskId != null) {
        Execution latest = view.latest(taskId, false);
        if (latest == null) {
          throw ExecLogException.taskHasNoRun("task_id", taskId, "task " + taskId + " has no recorded run");
        }
        return taskLevel ? Ref.task(taskId) : Ref.run(latest);
      }
      if (runId != null) {
        Execution run = view.get(runId);
        if (run == null) {
          throw ExecLogException.runNotFound("run_id", runId);
        }
        return taskLevel ? Ref.task(run.taskId()) : Ref.run(run);
      }
      if (producers(path).isEmpty() && consumers(path).isEmpty()) {
        throw ExecLogException.producerNotFound("path", path, "no recorded run read or wrote " + path);
      }
      return Ref.file(path);
    }

    /**
     * Looks up, in one batch per kind, the writers and readers of every path the frontier's hops
     * will ask about, so a store that pays a round trip per lookup pays two per hop.
     */
    void prefetch(List<Ref> frontier, boolean upstream) {
      Set<String> writersOf = new LinkedHashSet<>();
      Set<String> readersOf = new LinkedHashSet<>();
      for (Ref r : frontier) {
        if (r.path() != null) {
          (upstream ? writersOf : readersOf).add(r.path());
          continue;
        }
        for (Execution run : r.run() != null ? List.of(r.run()) : runs(r.taskId())) {
          if (upstream) {
            run.inputFiles().forEach(f -> writersOf.add(f.path()));
          } else {
            run.outputFiles().forEach(f -> {
              writersOf.add(f.path());
              readersOf.add(f.path());
            });
          }
        }
      }
      writersOf.removeAll(producers.keySet());
      readersOf.removeAll(consumers.keySet());
      if (!writersOf.isEmpty()) {
        producers.putAll(view.producers(writersOf));
      }
      if (!readersOf.isEmpty()) {
        consumers.putAll(view.consumers(readersOf));
      }
    }

    /** The task's runs, newest first, read once per walk. */
    private List<Execution> runs(String taskId) {
      return taskRuns.computeIfAbsent(taskId, id -> {
        List<Execution> all = new ArrayList<>();
        view.runsOf(id).forEach(all::add);
        return all;
      });
    }

    List<Hop> hops(Ref from, boolean upstream) {
      if (from.path() != null) {
        return fileHops(from.path(), upstream);
      }
      if (from.run() != null) {
        return upstream ? runUpstream(from.run()) : runDownstream(from.run());
      }
      return taskHops(from.taskId(), upstream);
    }

    /**
     * Task level: the union of its runs' links, one hop per (task, path). Rather than looking up
     * every run's files one by one, each distinct path is settled in one merge of its readers and
     * writers (both newest first): a reader's producer is the newest writer strictly before it.
     */
    private List<Hop> taskHops(String taskId, boolean upstream) {
      return upstream ? taskUpstream(taskId) : taskDownstream(taskId);
    }

    /** For each run of the task and each file it read, the task of the newest writer before it. */
    private List<Hop> taskUpstream(String taskId) {
      Map<String, Set<String>> linkedByPath = new HashMap<>();
      Map<String, Hop> hops = new LinkedHashMap<>();
      for (Execution run : runs(taskId)) {
        for (InputFile in : run.inputFiles()) {
          List<Execution> writers = producers(in.path());
          int i = firstBefore(writers, run.recordTimeMicros());
          if (i == writers.size()) {
            continue;
          }
          String writerTask = writers.get(i).taskId();
          if (!writerTask.equals(taskId)
              && linkedByPath.computeIfAbsent(in.path(), k -> new HashSet<>()).add(writerTask)) {
            Ref to = Ref.task(writerTask);
            hops.putIfAbsent(to.id() + "\n" + in.path(), new Hop(to, in.path()));
          }
        }
      }
      return new ArrayList<>(hops.values());
    }

    /**
     * For each file the task wrote, the tasks of the readers whose newest earlier writer was this
     * task: one merge of the path's readers and writers (both newest first), stopping once every
     * reading task is linked.
     */
    private List<Hop> taskDownstream(String taskId) {
      Set<String> paths = new LinkedHashSet<>();
      for (Execution run : runs(taskId)) {
        run.outputFiles().forEach(f -> paths.add(f.path()));
      }
      Map<String, Hop> hops = new LinkedHashMap<>();
      for (String path : paths) {
        List<Execution> readers = consumers(path);
        List<Execution> writers = producers(path);
        Set<String> candidates = new HashSet<>();
        for (Execution reader : readers) {
          candidates.add(reader.taskId());
        }
        candidates.remove(taskId);
        Set<String> linked = new HashSet<>();
        int w = 0;
        for (Execution reader : readers) {
          if (linked.size() == candidates.size()) {
            break;
          }
          while (w < writers.size() && writers.get(w).recordTimeMicros() >= reader.recordTimeMicros()) {
            w++;
          }
          if (w == writers.size()) {
            break;
          }
          if (writers.get(w).taskId().equals(taskId) && !reader.taskId().equals(taskId)
              && linked.add(reader.taskId())) {
            Ref to = Ref.task(reader.taskId());
            hops.putIfAbsent(to.id() + "\n" + path, new Hop(to, path));
          }
        }
      }
      return new ArrayList<>(hops.values());
    }

    /** A file's content came from its newest producer; every reader of the path is downstream. */
    private List<Hop> fileHops(String path, boolean upstream) {
      List<Execution> runs = upstream ? producers(path) : consumers(path);
      if (upstream) {
        runs = runs.isEmpty() ? runs : runs.subList(0, 1);
      }
      Map<String, Hop> hops = new LinkedHashMap<>();
      for (Execution run : runs) {
        Ref to = taskLevel ? Ref.task(run.taskId()) : Ref.run(run);
        hops.putIfAbsent(to.id(), new Hop(to, path));
      }
      return new ArrayList<>(hops.values());
    }

    private List<Hop> runUpstream(Execution run) {
      List<Hop> hops = new ArrayList<>();
      for (InputFile in : run.inputFiles()) {
        List<Execution> list = producers(in.path());
        int i = firstBefore(list, run.recordTimeMicros());
        if (i < list.size() && !list.get(i).runId().equals(run.runId())) {
          Execution p = list.get(i);
          hops.add(new Hop(Ref.run(p), in.path()));
        }
      }
      return hops;
    }

    private List<Hop> runDownstream(Execution run) {
      List<Hop> hops = new ArrayList<>();
      long t = run.recordTimeMicros();
      for (OutputFile out : run.outputFiles()) {
        // Readers after this run and up to the next producer (inclusive: a reader at that same time
        // did not see the next version, which was not strictly before it).
        List<Execution> writers = producers(out.path());
        int at = indexOf(writers, run);
        long until = Long.MAX_VALUE;
        if (at > 0) {
          until = writers.get(at - 1).recordTimeMicros();
          if (until == t) {
            continue; // a producer at the same time but recorded later shadows this one
          }
        }
        List<Execution> readers = consumers(out.path());
        int from = until == Long.MAX_VALUE ? 0 : firstBefore(readers, until + 1);
        int to = firstBefore(readers, t + 1);
        for (int i = from; i < to; i++) {
          Execution c = readers.get(i);
          hops.add(new Hop(Ref.run(c), out.path()));
        }
      }
      return hops;
    }

    private List<Execution> producers(String path) {
      return producers.computeIfAbsent(path, view::producers);
    }

    private List<Execution> consumers(String path) {
      return consumers.computeIfAbsent(path, view::consumers);
    }

    /** In a newest-first list, the index of the first run recorded strictly before {@code time}. */
    private static int firstBefore(List<Execution> newestFirst, long time) {
      int lo = 0;
      int hi = newestFirst.size();
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (newestFirst.get(mid).recordTimeMicros() < time) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    }

    private static int indexOf(List<Execution> newestFirst, Execution run) {
      for (int i = firstBefore(newestFirst, run.recordTimeMicros() + 1); i < newestFirst.size(); i++) {
        if (newestFirst.get(i).runId().equals(run.runId())) {
          return i;
        }
      }
      return newestFirst.indexOf(run);
    }
  }
}
