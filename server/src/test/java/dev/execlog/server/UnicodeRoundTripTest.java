package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.v1.FindOutputProducerRequest;
import dev.execlog.v1.GetExecutionRequest;
import dev.execlog.v1.ImportMode;
import dev.execlog.v1.InputFile;
import dev.execlog.v1.ListTasksRequest;
import dev.execlog.v1.OutputFile;
import dev.execlog.v1.TaskSummary;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Whatever the server accepts it writes and reads back: a letter from every Unicode plane that has
 * one survives the journal (a crash-free restart replays it) and the JSON file (a clean stop folds
 * it), in ids, names, paths and extra keys. Text that cannot be stored, such as a lone surrogate
 * from a JSON import, is refused at the door.
 */
class UnicodeRoundTripTest {

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  private static String text(int codePoint) {
    return new String(Character.toChars(codePoint));
  }

  @JsonFileOnly
  @Test
  void everyPlane_survivesTheJournalAndTheFile() throws Exception {
    Map<String, String> recorded = new TreeMap<>();
    for (int cp : new int[] {0x1F600, 0x00E9, 0x1D538, 0x2070E, 0x3134A, 0xF0041, 0x100041}) {
      String label = "t_" + text(cp);
      String id = server.stub().recordExecution(record(run(label).setTaskType("type" + text(cp))
          .setHostname("host" + text(cp)).setReportPath("DATA/" + text(cp) + "/r.json")
          .addInputFiles(InputFile.newBuilder().setName("in" + text(cp)).setPath("DATA/" + text(cp) + ".csv"))
          .putExtraFields("note" + text(cp), "\"" + text(cp) + "\"")))
          .getExecution().getRunId();
      recorded.put(id, label);
    }
    server.server().store().flush();
    // Replay from the journal as after a crash, then from the folded file after a clean stop.
    for (int round = 0; round < 2; round++) {
      server.restart();
      for (Map.Entry<String, String> e : recorded.entrySet()) {
        var run = server.stub().getExecution(GetExecutionRequest.newBuilder().setRunId(e.getKey()).build())
            .getExecution();
        String cp = e.getValue().substring(2);
        assertEquals(e.getValue(), run.getTaskId());
        assertEquals("type" + cp, run.getTaskType());
        assertEquals("host" + cp, run.getHostname());
        assertEquals("DATA/" + cp + "/r.json", run.getReportPath());
        assertEquals("in" + cp, run.getInputFiles(0).getName());
        assertEquals("\"" + cp + "\"", run.getExtraFieldsOrThrow("note" + cp));
      }
    }
    List<String> tasks = new ArrayList<>();
    for (TaskSummary s : server.stub().listTasks(ListTasksRequest.getDefaultInstance()).getTasksList()) {
      tasks.add(s.getTaskId());
    }
    assertEquals(new ArrayList<>(new TreeSet<>(recorded.values())), tasks.stream().sorted().toList());
    assertTrue(Files.readString(server.logFile()).contains("t_\uD83D\uDE00"), "written as UTF-8, not escaped apart");
  }

  @Test
  void nfcAndNfdSpellings_areOneTaskAndOnePath() {
    String nfc = "t_caf\u00E9";
    String nfd = "t_cafe\u0301";
    server.stub().recordExecution(record(run(nfc).addOutputFiles(OutputFile.newBuilder()
        .setPath("DATA/r\u00E9sum\u00E9.csv"))));
    var second = server.stub().recordExecution(record(run(nfd))).getExecution();
    assertEquals(nfc, second.getTaskId(), "stored in NFC");
    var tasks = server.stub().listTasks(ListTasksRequest.getDefaultInstance()).getTasksList();
    assertEquals(1, tasks.size());
    assertEquals(2, tasks.get(0).getRunCount());
    var producer = server.stub().findOutputProducer(FindOutputProducerRequest.newBuilder()
        .setPath("DATA/re\u0301sume\u0301.csv").build());
    assertEquals(nfc, producer.getExecution().getTaskId(), "an NFD path finds the NFC one");
  }

  @Test
  void importOfLoneSurrogates_isRefusedAndTheLogIsUntouched() throws Exception {
    server.stub().recordExecution(record(run("t_keep")));
    server.server().store().flush();
    byte[] before = server.storedLog();
    String[] fields = {"task_id", "task_type", "hostname", "report_path"};
    for (String field : fields) {
      String log = "{\"executions\": [{\"task_id\": \"t\", \"task_type\": \"x\", \"task_run_id\":"
          + " \"123e4567-e89b-12d3-a456-426614174000\", \"timestamp\": \"2025-01-01T00:00:00\","
          + " \"success\": true, \"execution_time\": 1, \"" + field + "\": \"bad\\ud800x\"}]}";
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> StreamCalls.importLog(server.asyncStub(), log, ImportMode.IMPORT_MODE_MERGE), field);
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), field);
      assertTrue(e.getStatus().getDescription().contains(field), e.getStatus().getDescription());
    }
    String input = "{\"executions\": [{\"task_id\": \"t\", \"task_type\": \"x\", \"task_run_id\":"
        + " \"123e4567-e89b-12d3-a456-426614174000\", \"timestamp\": \"2025-01-01T00:00:00\","
        + " \"success\": true, \"execution_time\": 1, \"input_files\": [{\"name\": \"\\udc00\", \"path\": \"a.csv\"}]}]}";
    assertThrows(StatusRuntimeException.class,
        () -> StreamCalls.importLog(server.asyncStub(), input, ImportMode.IMPORT_MODE_REPLACE));
    server.server().store().flush();
    assertTrue(Arrays.equals(before, server.storedLog()), "the log file changed");
    server.restart();
  }
}
