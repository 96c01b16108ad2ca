package dev.execlog.server;

import static dev.execlog.server.Runs.record;
import static dev.execlog.server.Runs.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fold's temporary file sits at a predictable name beside the log. A symbolic link planted
 * there must not make the server write the log into the link's target, nor turn the log path into
 * that link when the temporary file is renamed over it.
 */
@JsonFileOnly
class FoldTemporaryFileTest {

  @RegisterExtension
  final LogServerExtension server = new LogServerExtension();

  @Test
  void linkPlantedAtTheTemporaryName_isNeitherFollowedNorRenamedOverTheLog() throws Exception {
    Path outside = Files.writeString(server.root().resolve("precious.txt"), "not a log");
    Path log = server.logFile();
    Files.createSymbolicLink(Path.of(log + ".tmp"), outside);
    for (int i = 0; i < 3; i++) {
      server.stub().recordExecution(record(run("t_tmp_" + i)));
    }
    server.stop(); // the final fold, at the latest, writes through the temporary file
    assertEquals("not a log", Files.readString(outside), "the link's target is untouched");
    assertTrue(Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS), "the log path is still a regular file");
    assertEquals(3, new ObjectMapper().readTree(log.toFile()).get("executions").size());
    assertFalse(Files.exists(Path.of(log + ".tmp"), LinkOption.NOFOLLOW_LINKS), "nothing is left at the temporary name");
    server.start();
  }
}
