package dev.execlog.cli;

import dev.execlog.client.ExecutionLogClient.Format;
import dev.execlog.client.model.ExportResult;
import dev.execlog.client.model.ExportSelection;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Export the log as JSON, CSV or OpenLineage events (--format json, csv, csv-with-files or",
        "openlineage), to a file or stdout.",
        "json is the log file's own format (importable). csv has the reference library's columns,",
        "task_id,task_type,task_run_id,timestamp,success,execution_time,report_path,input_files_count,",
        "output_files_count,hostname; csv-with-files lists the input and output files instead of counting",
        "them. openlineage writes OpenLineage run events, one JSON RunEvent per line: a START and a",
        "COMPLETE or FAIL per run, the task as the job (in --namespace), the files as datasets, for",
        "Marquez, DataHub and other lineage tools; 'execlog watch --format openlineage' streams new runs. The",
        "copy is checked against the server's SHA-256, and a file is written whole or not at all."},
    footer = {"", "Examples:",
        "  execlog export -o backup/execution_log.json",
        "  execlog export --format csv --task t_1I > t_1I.csv",
        "  execlog export --format csv-with-files -o runs-and-files.csv",
        "  execlog export --format openlineage --namespace execlog://farm -o ol.ndjson"})
final class ExportCommand extends ServerCommand {

  @Override
  List<String> formats() {
    return List.of("json", "csv", "csv-with-files", "openlineage");
  }

  /** --format is the export's own format; only --json asks for the summary as JSON. */
  @Override
  String printerFormat(CommonOptions options, String format) {
    return options.json ? "json" : null;
  }

  @Option(names = "--task", description = "Only runs of this task.")
  String taskId;

  @Option(names = "--namespace", paramLabel = "NS", description = {"The OpenLineage job namespace of"
      + " --format openlineage (default: execlog://<the server's host name>)."})
  String namespace;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of stdout ('-' is stdout).")
  Path output;

  @Mixin
  ProgressOptions progressOptions;

  @Override
  ExitCode execute(Session session) throws IOException {
    if (namespace != null && !"openlineage".equals(session.format())) {
      throw new CliFailure("export", "--namespace is for --format openlineage", ExitCode.USAGE);
    }
    boolean toStdout = output == null || output.toString().equals("-");
    String destination = toStdout ? "stdout" : output.toString();
    String what = "export the log to " + destination;
    ExportResult result;
    if (toStdout) {
      WriterOutputStream out = new WriterOutputStream(spec.commandLine().getOut());
      result = export(session, what, out);
      out.close();
    } else {
      result = DocumentFile.write(output, out -> export(session, what, out));
    }
    session.printer().exported(result, destination, toStdout);
    return ExitCode.OK;
  }

  private ExportResult export(Session session, String what, OutputStream out) {
    DigestOutputStream digesting = new DigestOutputStream(out, sha256());
    ExportResult result;
    try (Progress progress = progressOptions.open("export", session.err())) {
      Format format = new KebabEnums.ExportFormats().convert(session.format() == null ? "json" : session.format());
      ExportSelection selection = new ExportSelection(taskId, null, namespace);
      result = session.call(what, () -> session.client().exportSelected(format, selection, digesting, progress));
    }
    String local = HexFormat.of().formatHex(digesting.getMessageDigest().digest());
    if (!local.equalsIgnoreCase(result.sha256())) {
      throw new CliFailure(what, "the copy's SHA-256 " + local + " differs from the server's " + result.sha256(),
          ExitCode.ERROR, "retry the export.", null);
    }
    return result;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
