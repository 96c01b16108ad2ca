package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.execlog.v1.OutputFile;
import dev.execlog.v1.RecordExecutionRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where a directory leads is remembered for about a second, including that it is missing, and what
 * lies under a missing directory is taken as missing too without a look at the disk. A link put in
 * a missing directory's place is therefore caught once that second has passed, on every path under it.
 */
class LinkAddedLaterTest {

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  private static RecordExecutionRequest writing(String path) {
    return record(run("t_links").addOutputFiles(OutputFile.newBuilder().setPath(path)));
  }

  @Test
  void missingDirectoryReplacedByALinkOutOfTheRoot_refusedOnceTheVerdictExpires() throws Exception {
    server.stub().recordExecution(writing("later/a/out.csv"));
    server.stub().recordExecution(writing("later/b/out.csv"));
    Path outside = Files.createTempDirectory("execlog-outside-");
    Files.createSymbolicLink(server.root().resolve("later"), outside);
    Thread.sleep(1_200);
    for (String path : new String[] {"later/a/out.csv", "later/c/out.csv", "later/out.csv"}) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
          () -> server.stub().recordExecution(writing(path)), path);
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), path + ": " + e.getStatus());
      assertTrue(e.getStatus().getDescription().contains("symbolic link"), e.getStatus().getDescription());
    }
    server.stub().recordExecution(writing("elsewhere/d/out.csv"));
  }
}
