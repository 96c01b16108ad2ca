package dev.execlog.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Generates a realistic execution log in the spec's file format ("Execution Log Structure"),
 * streaming, so a log of millions of runs never sits in memory.
 *
 * <p>Shape: 50 tasks in 10 pipelines of 5 stages (ingestion, cleaning, profiling, anonymization,
 * reporting). A run reads 2 files, usually outputs of the previous stage (so lineage exists), and
 * writes 3: two stable paths per task (rewritten by every run, as real tasks do) and one dated
 * path unique to the run. Runs are spread over 90 days ending at {@code end}, in time order, 10%
 * fail, ids are UUIDs, and the {@code tasks} map holds each task's newest run.
 *
 * <p>The output is a function of {@code (runs, seed, end)}: generating twice gives the same file,
 * which is how {@link #scan()} recovers the tasks map and samples without writing anything.
 */
public final class LogGenerator {

  public static final int PIPELINES = 10;
  static final String[] STAGES = {"ingestion", "cleaning", "profiling", "anonymization", "reporting"};
  static final char[] STAGE_LETTERS = {'I', 'C', 'P', 'A', 'R'};
  static final String[] DATASETS = {"customers", "transactions", "products", "claims", "visits",
      "accounts", "orders", "patients", "devices", "sessions"};
  static final String[] HOSTS = {"analysis-node-01", "analysis-node-02", "analysis-node-03",
      "batch-worker-07", "batch-worker-11", "gpu-runner-2"};
  /** The log covers 90 days, in microseconds. */
  static final long SPAN_MICROS = 90L * 24 * 3600 * 1_000_000;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSxxx");
  private static final DateTimeFormatter DIR = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");

  /** One generated run, the fields of an {@code executions} entry. */
  public record GenRun(String taskId, String taskType, String runId, long timeMicros, boolean success,
                       double seconds, String reportPath, List<String[]> inputs, List<String[]> outputs,
                       String hostname) {
    public String timestamp() {
      return formatMicros(timeMicros);
    }
  }

  /** What a scan learned: each task's newest run and reservoir samples of ids and output paths. */
  public static final class Scan {
    public final Map<String, GenRun> latest = new LinkedHashMap<>();
    public final List<String> sampleRunIds = new ArrayList<>();
    public final List<String> sampleOutputPaths = new ArrayList<>();
    public long runs;
    public long failures;
  }

  private final long runs;
  private final long seed;
  private final long endMicros;
  private final int sampleSize;

  public LogGenerator(long runs, long seed, Instant end, int sampleSize) {
    this.runs = runs;
    this.seed = seed;
    this.endMicros = toMicros(end.truncatedTo(ChronoUnit.MICROS));
    this.sampleSize = sampleSize;
  }

  /** The 50 task ids, such as {@code t_1I} (pipeline 1, ingestion) or {@code t_10R}. */
  public static List<String> taskIds() {
    List<String> ids = new ArrayList<>();
    for (int p = 1; p <= PIPELINES; p++) {
      for (char c : STAGE_LETTERS) {
        ids.add("t_" + p + c);
      }
    }
    return ids;
  }

  static String taskId(int pipeline, int stage) {
    return "t_" + (pipeline + 1) + STAGE_LETTERS[stage];
  }

  /** The two stable outputs of a task, as {path, type, description}. */
  static String[][] stableOutputs(int pipeline, int stage) {
    String task = taskId(pipeline, stage);
    String ds = DATASETS[pipeline];
    String dir = "DATA/processed/" + task + "/output/";
    return switch (stage) {
      case 0 -> new String[][] {
          {dir + ds + "_ingested.csv", "csv", "Raw " + ds + " records loaded and typed"},
          {dir + ds + "_schema.json", "json", "Inferred schema of the " + ds + " dataset"}};
      case 1 -> new String[][] {
          {dir + ds + "_clean.csv", "csv", "Cleaned " + ds + " records, duplicates removed"},
          {dir + ds + "_rejects.csv", "csv", "Rows of " + ds + " rejected by the cleaning rules"}};
      case 2 -> new String[][] {
          {dir + ds + "_profile.json", "json", "Field statistics of the " + ds + " dataset"},
          {dir + ds + "_distribution.png", "png", "Value distribution chart for " + ds}};
      case 3 -> new String[][] {
          {dir + ds + "_anonymized.parquet", "parquet", "k-anonymized " + ds + " records"},
          {dir + ds + "_risk.json", "json", "Re-identification risk metrics for " + ds}};
      default -> new String[][] {
          {dir + ds + "_summary.html", "html", "Pipeline summary report for " + ds},
          {dir + ds + "_metrics.csv", "csv", "Quality metrics of the " + ds + " pipeline"}};
    };
  }

  /** Generates the runs in file order and hands each to {@code sink}. */
  public void forEachRun(Consumer<GenRun> sink) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long start = endMicros - SPAN_MICROS;
    double step = (double) SPAN_MICROS / Math.max(1, runs);
    for (long i = 0; i < runs; i++) {
      int pipeline = rnd.nextInt(PIPELINES);
      // Earlier stages run more often than later ones: 30/25/20/15/10%.
      int w = rnd.nextInt(100);
      int stage = w < 30 ? 0 : w < 55 ? 1 : w < 75 ? 2 : w < 90 ? 3 : 4;
      String task = taskId(pipeline, stage);
      long time = start + (long) (i * step) + (long) (rnd.nextDouble() * step * 0.9);
      String runId = randomUuid(rnd);
      boolean success = rnd.nextInt(10) != 0;
      double seconds = Math.round(Math.exp(rnd.nextDouble() * 7.5) * 1000.0) / 1000.0;
      List<String[]> inputs = new ArrayList<>(2);
      if (stage == 0) {
        String ds = DATASETS[pipeline];
        inputs.add(new String[] {ds, "DATA/raw/" + ds + "/" + ds + "_export.csv"});
        String ref = DATASETS[rnd.nextInt(DATASETS.length)];
        inputs.add(new String[] {ref + "_reference", "DATA/raw/reference/" + ref + "_codes.csv"});
      } else {
        String[][] up = stableOutputs(pipeline, stage - 1);
        inputs.add(new String[] {DATASETS[pipeline], up[0][0]});
        // Now and then a stage also reads another pipeline's output of the same level.
        int other = rnd.nextInt(4) == 0 ? rnd.nextInt(PIPELINES) : pipeline;
        String[][] side = stableOutputs(other, stage - 1);
        inputs.add(new String[] {DATASETS[other] + "_aux", side[1][0]});
      }
      String[][] stable = stableOutputs(pipeline, stage);
      List<String[]> outputs = new ArrayList<>(3);
      outputs.add(stable[0]);
      outputs.add(stable[1]);
      String stamp = DIR.format(OffsetDateTime.ofInstant(fromMicros(time), ZoneOffset.UTC));
      outputs.add(new String[] {"DATA/processed/" + task + "/output/runs/" + stamp + "/run_log_"
          + runId.substring(0, 8) + ".txt", "text", "Execution log of this run"});
      String report = "DATA/reports/" + task + "_report.json";
      String host = HOSTS[rnd.nextInt(HOSTS.length)];
      sink.accept(new GenRun(task, STAGES[stage], runId, time, success, seconds, report, inputs, outputs, host));
    }
  }

  /**
   * A version 4 UUID from the client's own generator: {@link UUID#randomUUID()} takes a lock on one
   * shared SecureRandom, which 32 recording threads would queue on.
   */
  static String randomUuid(SplittableRandom rnd) {
    return new UUID((rnd.nextLong() & ~0xF000L) | 0x4000L,
        (rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
  }

  /** Runs the generator without writing: the tasks map and samples of the log it would write. */
  public Scan scan() {
    Scan scan = new Scan();
    SplittableRandom sampler = new SplittableRandom(seed ^ 0x5DEECE66DL);
    forEachRun(run -> {
      scan.latest.put(run.taskId(), run);
      scan.runs++;
      if (!run.success()) {
        scan.failures++;
      }
      reservoir(scan.sampleRunIds, run.runId(), scan.runs, sampler);
      String path = run.outputs().get(sampler.nextInt(run.outputs().size()))[0];
      reservoir(scan.sampleOutputPaths, path, scan.runs, sampler);
    });
    return scan;
  }

  private void reservoir(List<String> sample, String value, long seen, SplittableRandom rnd) {
    if (sample.size() < sampleSize) {
      sample.add(value);
    } else {
      long j = rnd.nextLong(seen);
      if (j < sampleSize) {
        sample.set((int) j, value);
      }
    }
  }

  /** Writes the log to {@code file} (atomically, through a temporary file) and returns its scan. */
  public Scan write(Path file) throws IOException {
    Scan scan = scan();
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".gen.tmp");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
      write(out, scan);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return scan;
  }

  /** Writes the log to {@code out}, given the scan of the same generator. */
  public void write(OutputStream out, Scan scan) throws IOException {
    JsonFactory factory = new JsonFactory();
    try (JsonGenerator g = factory.createGenerator(out, JsonEncoding.UTF8)) {
      g.setPrettyPrinter(prettyPrinter());
      g.writeStartObject();
      g.writeObjectFieldStart("tasks");
      for (GenRun r : scan.latest.values()) {
        g.writeObjectFieldStart(r.taskId());
        g.writeStringField("task_type", r.taskType());
        g.writeNumberField("last_execution", Math.floorDiv(r.timeMicros(), 1_000_000L));
        g.writeStringField("last_status", r.success() ? "success" : "failed");
        g.writeStringField("last_report_path", r.reportPath());
        g.writeStringField("last_task_run_id", r.runId());
        g.writeEndObject();
      }
      g.writeEndObject();
      g.writeArrayFieldStart("executions");
      IOException[] failure = new IOException[1];
      forEachRun(r -> {
        if (failure[0] != null) {
          return;
        }
        try {
          writeRun(g, r);
        } catch (IOException e) {
          failure[0] = e;
        }
      });
      if (failure[0] != null) {
        throw failure[0];
      }
      g.writeEndArray();
      String created = formatMicros(endMicros - SPAN_MICROS);
      g.writeStringField("timestamp", created);
      g.writeStringField("version", "1.0.0");
      g.writeStringField("last_modified", formatMicros(endMicros));
      g.writeEndObject();
    }
  }

  private static void writeRun(JsonGenerator g, GenRun r) throws IOException {
    g.writeStartObject();
    g.writeStringField("task_id", r.taskId());
    g.writeStringField("task_type", r.taskType());
    g.writeStringField("task_run_id", r.runId());
    g.writeStringField("timestamp", r.timestamp());
    g.writeBooleanField("success", r.success());
    g.writeNumberField("execution_time", r.seconds());
    g.writeStringField("report_path", r.reportPath());
    g.writeArrayFieldStart("input_files");
    for (String[] in : r.inputs()) {
      g.writeStartObject();
      g.writeStringField("name", in[0]);
      g.writeStringField("path", in[1]);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("output_files");
    for (String[] out : r.outputs()) {
      g.writeStartObject();
      g.writeStringField("path", out[0]);
      g.writeStringField("type", out[1]);
      g.writeStringField("description", out[2]);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeStringField("hostname", r.hostname());
    g.writeEndObject();
  }

  /** Indent 2, {@code "key": value}, as Python's {@code json.dump(indent=2)} and the server write. */
  static DefaultPrettyPrinter prettyPrinter() {
    Separators separators = Separators.createDefaultInstance()
        .withObjectFieldValueSpacing(Separators.Spacing.AFTER);
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    return new DefaultPrettyPrinter(separators).withObjectIndenter(indenter).withArrayIndenter(indenter);
  }

  static String formatMicros(long micros) {
    return TIME.format(OffsetDateTime.ofInstant(fromMicros(micros), ZoneOffset.UTC));
  }

  static long toMicros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  static Instant fromMicros(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
