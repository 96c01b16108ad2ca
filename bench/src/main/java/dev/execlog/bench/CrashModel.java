package dev.execlog.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.execlog.client.model.InputFile;
import dev.execlog.client.model.OutputFile;
import dev.execlog.client.model.Run;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The acknowledged state of the log in the mixed crash mode: for every run id an RPC ever
 * acknowledged, whether the log must hold it and with which content, or must not hold it.
 *
 * <p>Writers change the model only after a call returned, so it never runs ahead of the server.
 * Each run other than an old one belongs to one writer, the only one to update, delete or track
 * it, so its changes arrive in order. Old runs (recorded or imported with a time beyond the
 * cleanup age) are changed by nothing but cleanup, which runs one at a time; a removal is final,
 * since run ids are never reused, so a record acknowledged after the cleanup that removed it
 * cannot bring it back into the model.
 */
final class CrashModel {

  /** The operation kinds of the mixed workload. */
  enum Kind { RECORD, UPDATE, DELETE, TRACK, CLEANUP, IMPORT }

  /**
   * What the log must hold for one run id.
   *
   * @param owner the writer that may update, delete or track the run; -1 for an old run
   * @param old recorded with a time beyond the cleanup age: cleanup must remove it
   * @param run the run as an RPC returned it (or as listed after a restart); for an imported run
   *     not yet seen since, as the imported file gave it
   * @param exact {@code run} is what the server returned, not what an import file said
   * @param gone the log must not hold the run: deleted, removed by cleanup, or written by a call
   *     cut short by a crash that did not take effect
   */
  record Entry(String runId, int owner, boolean old, Run run, boolean exact, boolean gone) {}

  static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  /** Old runs the log must hold: what the next cleanup must remove. */
  private final Set<String> liveOld = ConcurrentHashMap.newKeySet();

  Entry get(String runId) {
    return entries.get(runId);
  }

  Collection<Entry> entries() {
    return entries.values();
  }

  Set<String> liveOld() {
    return liveOld;
  }

  /** A run the log must now hold (recorded, imported, or found after a crash); a removal stays final. */
  void present(String runId, int owner, boolean old, Run run, boolean exact) {
    entries.compute(runId, (id, e) -> {
      if (e != null && e.gone()) {
        return e;
      }
      if (old) {
        liveOld.add(id);
      }
      return new Entry(id, owner, old, run, exact, false);
    });
  }

  /** A run the log must now hold with this content (updated, tracked, or seen after a restart). */
  void changed(String runId, Run run) {
    entries.compute(runId, (id, e) -> e == null ? new Entry(id, -1, false, run, true, false)
        : e.gone() ? e : new Entry(id, e.owner(), e.old(), run, true, false));
  }

  /**
   * The log holds this run after all, although the model says it must not (a removed run come back,
   * or one no call wrote): once reported, it is taken as it is, so later checks do not count it again.
   */
  void revive(String runId, boolean old, Run run) {
    entries.compute(runId, (id, e) -> {
      boolean isOld = old || (e != null && e.old());
      if (isOld) {
        liveOld.add(id);
      }
      return new Entry(id, -1, isOld, run, true, false);
    });
  }

  /** A run the log must not hold. */
  void gone(String runId) {
    entries.compute(runId, (id, e) -> {
      liveOld.remove(id);
      return e == null ? new Entry(id, -1, true, null, false, true)
          : new Entry(id, e.owner(), e.old(), e.run(), e.exact(), true);
    });
  }

  // ------------------------------------------------------------------ comparing runs

  /**
   * The fields in which {@code got} differs from {@code want}; empty when it matches. Extra values
   * compare as JSON (so {@code 1.0} and {@code 1.00} differ, spacing does not); durations to the
   * microsecond. {@code loose} is for a run known only from an import file or from a request:
   * then the integer form of the duration and the extra keys the server adds to file entries
   * ({@code added_at}) are not compared.
   */
  static List<String> diff(Run want, Run got, boolean loose) {
    List<String> d = new ArrayList<>();
    if (!want.runId().equals(got.runId())) {
      d.add("run_id");
    }
    if (!want.taskId().equals(got.taskId())) {
      d.add("task_id");
    }
    if (!want.taskType().equals(got.taskType())) {
      d.add("task_type");
    }
    if (!Objects.equals(want.recordTime(), got.recordTime())) {
      d.add("record_time " + want.recordTime() + " vs " + got.recordTime());
    }
    if (want.success() != got.success()) {
      d.add("success " + want.success() + " vs " + got.success());
    }
    if (Math.abs(want.duration().toNanos() - got.duration().toNanos()) > 1_000) {
      d.add("duration " + want.duration() + " vs " + got.duration());
    }
    if (!loose && want.integerExecutionTime() != got.integerExecutionTime()) {
      d.add("integer_execution_time");
    }
    if (!want.reportPath().equals(got.reportPath())) {
      d.add("report_path " + want.reportPath() + " vs " + got.reportPath());
    }
    if (!want.hostname().equals(got.hostname())) {
      d.add("hostname");
    }
    if (!sameExtras(want.extraFields(), got.extraFields())) {
      d.add("extra_fields " + want.extraFields() + " vs " + got.extraFields());
    }
    if (!sameInputs(want.inputFiles(), got.inputFiles(), loose)) {
      d.add("input_files " + paths(want.inputFiles(), true) + " vs " + paths(got.inputFiles(), true));
    }
    if (!sameOutputs(want.outputFiles(), got.outputFiles(), loose)) {
      d.add("output_files " + paths(want.outputFiles(), false) + " vs " + paths(got.outputFiles(), false));
    }
    return d;
  }

  private static boolean sameInputs(List<InputFile> a, List<InputFile> b, boolean loose) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      InputFile x = a.get(i);
      InputFile y = b.get(i);
      if (!x.name().equals(y.name()) || !x.path().equals(y.path())
          || (!loose && !sameExtras(x.extraFields(), y.extraFields()))) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameOutputs(List<OutputFile> a, List<OutputFile> b, boolean loose) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      OutputFile x = a.get(i);
      OutputFile y = b.get(i);
      if (!x.path().equals(y.path()) || !x.type().equals(y.type()) || !x.description().equals(y.description())
          || (!loose && !sameExtras(x.extraFields(), y.extraFields()))) {
        return false;
      }
    }
    return true;
  }

  private static List<String> paths(List<?> files, boolean inputs) {
    List<String> p = new ArrayList<>();
    for (Object f : files) {
      p.add(inputs ? ((InputFile) f).path() : ((OutputFile) f).path());
    }
    return p;
  }

  static boolean sameExtras(Map<String, String> a, Map<String, String> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, String> e : a.entrySet()) {
      String other = b.get(e.getKey());
      if (!e.getValue().equals(other) && !tree(e.getValue()).equals(tree(other))) {
        return false;
      }
    }
    return true;
  }

  static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return JSON.getNodeFactory().textNode("unparseable JSON: " + json);
    }
  }

  /** A copy of {@code run} with other inputs. */
  static Run withInputs(Run r, List<InputFile> inputs) {
    return new Run(r.runId(), r.taskId(), r.taskType(), r.recordTime(), r.success(), r.duration(), r.reportPath(),
        inputs, r.outputFiles(), r.hostname(), r.extraFields(), r.integerExecutionTime());
  }

  /** A copy of {@code run} with other outputs. */
  static Run withOutputs(Run r, List<OutputFile> outputs) {
    return new Run(r.runId(), r.taskId(), r.taskType(), r.recordTime(), r.success(), r.duration(), r.reportPath(),
        r.inputFiles(), outputs, r.hostname(), r.extraFields(), r.integerExecutionTime());
  }
}
