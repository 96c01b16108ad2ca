package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.v1.GetExecutionRequest;
import dev.execlog.v1.ImportMode;
import dev.execlog.v1.ImportOptions;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessServerBuilder;
import dev.execlog.server.model.ExecLogException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An import brings in exactly what its bytes say, once, or nothing. */
class ImportIntegrityTest {

  private static final String ID = "123e4567-e89b-12d3-a456-426614174000";
  private static final ImportOptions MERGE = ImportOptions.newBuilder().setMode(ImportMode.IMPORT_MODE_MERGE).build();

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  private static String runJson(String runId, String taskId, String extra) {
    return "{\"task_id\": \"" + taskId + "\", \"task_type\": \"x\", \"task_run_id\": \"" + runId + "\","
        + " \"timestamp\": \"2026-01-01T12:00:00+00:00\", \"success\": true, \"execution_time\": 1.5,"
        + " \"report_path\": \"\", \"input_files\": [], \"output_files\": [], \"hostname\": \"h\"" + extra + "}";
  }

  private static String log(String... runs) {
    return "{\"tasks\": {}, \"executions\": [" + String.join(", ", runs) + "]}";
  }

  private byte[] fileAfterFlush() throws Exception {
    server.server().store().flush();
    return server.storedLog();
  }

  @ParameterizedTest
  @ValueSource(strings = {ID, "123E4567-E89B-12D3-A456-426614174000"})
  void sameRunIdTwiceInOneImport_isRefusedNamingItAndChangesNothing(String second) throws Exception {
    server.stub().recordExecution(record(run("t_kept")));
    byte[] before = fileAfterFlush();

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> StreamCalls.importLog(
        server.asyncStub(), log(runJson(ID, "t_a", ""), runJson(second, "t_b", "")), MERGE));

    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().toLowerCase().contains(ID), e.getStatus().getDescription());
    assertArrayEquals(before, fileAfterFlush());
  }

  @Test
  void overlongUtf8InAnImport_isRefused() throws Exception {
    server.stub().recordExecution(record(run("t_kept")));
    byte[] before = fileAfterFlush();
    // C0 AF is an overlong '/': a decoder that accepts it turns "DATA..\xC0\xAF" into a path separator
    byte[] text = log(runJson(ID, "t_@", "")).getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String s = new String(text, StandardCharsets.UTF_8);
    int at = s.indexOf('@');
    bytes.write(text, 0, at);
    bytes.write(new byte[] {(byte) 0xC0, (byte) 0xAF});
    bytes.write(text, at + 1, text.length - at - 1);

    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> StreamCalls.importLog(server.asyncStub(), bytes.toByteArray(), MERGE));

    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("malformed UTF-8"), e.getStatus().getDescription());
    assertArrayEquals(before, fileAfterFlush());
  }

  @JsonFileOnly
  @Test
  void logFileWithAValueAboveU10FFFF_refusesToStartUntouched() throws Exception {
    server.stop();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write("{\"tasks\": {}, \"executions\": [".getBytes(StandardCharsets.UTF_8));
    bytes.write(runJson(ID, "t_", "").replace("\"t_\"", "\"t_\u0001\"").getBytes(StandardCharsets.UTF_8));
    bytes.write("]}".getBytes(StandardCharsets.UTF_8));
    byte[] data = bytes.toByteArray();
    // replace the control character with F4 90 80 80, four bytes that would decode above U+10FFFF
    int at = new String(data, StandardCharsets.ISO_8859_1).indexOf('\u0001');
    byte[] bad = new byte[data.length + 3];
    System.arraycopy(data, 0, bad, 0, at);
    System.arraycopy(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, 0, bad, at, 4);
    System.arraycopy(data, at + 1, bad, at + 4, data.length - at - 1);
    Files.createDirectories(server.logFile().getParent());
    Files.write(server.logFile(), bad);

    ExecLogException e = assertThrows(ExecLogException.class, () -> ExecLogServer.start(server.config(),
        InProcessServerBuilder.forName(InProcessServerBuilder.generateName())));

    assertTrue(e.getMessage().contains("malformed UTF-8"), e.getMessage());
    assertArrayEquals(bad, Files.readAllBytes(server.logFile()));
    Files.delete(server.logFile());
    server.start();
  }

  @JsonFileOnly
  @Test
  void numbersInKeysExeclogDoesNotKnow_leaveTheFileAsTheyCameIn() throws Exception {
    String metrics = ", \"metrics\": {\"huge\": 1e999, \"digits\": 0.300000000000000, \"neg_zero\": -0,"
        + " \"upper\": 1E5, \"plain\": 241}";
    StreamCalls.importLog(server.asyncStub(), log(runJson(ID, "t_numbers", metrics)), MERGE);

    String file = new String(fileAfterFlush(), StandardCharsets.UTF_8);
    for (String spelled : new String[] {"1e999", "0.300000000000000", "-0", "1E5", "241"}) {
      assertTrue(file.matches("(?s).*\": " + Pattern.quote(spelled) + "[,}\\s].*"),
          spelled + " kept as written in:\n" + file);
    }
    String served = server.stub().getExecution(GetExecutionRequest.newBuilder().setRunId(ID).build())
        .getExecution().getExtraFieldsOrThrow("metrics");
    assertEquals("{\"huge\":1e999,\"digits\":0.300000000000000,\"neg_zero\":-0,\"upper\":1E5,\"plain\":241}", served);

    server.restart();
    String again = new String(fileAfterFlush(), StandardCharsets.UTF_8);
    assertTrue(again.contains("1e999") && again.contains("-0,"), "and after a restart:\n" + again);
  }
}
