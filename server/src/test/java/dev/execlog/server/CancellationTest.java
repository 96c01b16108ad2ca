package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.ops.CleanupOperation;
import dev.execlog.server.ops.Limits;
import dev.execlog.server.ops.LogImporter;
import dev.execlog.server.ops.ProgressSink;
import dev.execlog.server.ops.RunValidator;
import dev.execlog.server.paths.PathPolicy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A cleanup or import whose caller has gone away stops with CANCELLED and changes nothing. */
class CancellationTest {

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  /** A caller that goes away after the operation has reported {@code reports} times. */
  private static ProgressSink goneAfter(int reports) {
    return new ProgressSink() {
      int seen;

      @Override
      public void report(String stage, long done, long total, String message) {
        seen++;
      }

      @Override
      public boolean cancelled() {
        return seen >= reports;
      }
    };
  }

  @Test
  void cancelledCleanup_removesNothing() throws Exception {
    for (int i = 0; i < 20; i++) {
      server.stub().recordExecution(record(run("t_c")));
    }
    server.server().store().flush();
    byte[] before = server.storedLog();
    ExecLogException e = assertThrows(ExecLogException.class,
        () -> new CleanupOperation(server.server().store()).run(0, 0, CleanupOperation.Rule.OLD_AND_BEYOND_COUNT, false, goneAfter(1)));
    assertEquals(ExecLogException.Kind.CANCELLED, e.kind());
    assertEquals(20, server.server().store().info().executionCount());
    server.server().store().flush();
    assertArrayEquals(before, server.storedLog());
  }

  @Test
  void cancelledImport_changesNothing() {
    server.stub().recordExecution(record(run("t_keep")));
    String file = "{\"executions\": [{\"task_id\": \"t_new\", \"task_type\": \"x\", \"task_run_id\":"
        + " \"123e4567-e89b-12d3-a456-426614174000\", \"timestamp\": \"2026-01-01T00:00:00+00:00\","
        + " \"success\": true, \"execution_time\": 1}]}";
    LogImporter importer = new LogImporter(server.server().store(),
        new RunValidator(new PathPolicy(server.root(), List.of()), Limits.defaults()));
    for (LogImporter.Mode mode : LogImporter.Mode.values()) {
      ExecLogException e = assertThrows(ExecLogException.class, () -> importer.run(
          new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), file.length(), mode, false, goneAfter(1)));
      assertEquals(ExecLogException.Kind.CANCELLED, e.kind());
      assertEquals(1, server.server().store().info().executionCount());
    }
  }
}
