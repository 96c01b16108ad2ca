package dev.execlog.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Nonsense settings stop the start with the option named, instead of a server whose calls fail. */
class ServerOptionsTest {

  @ParameterizedTest
  @CsvSource({
      "--max-page-size, 0", "--max-page-size, -5", "--max-files-per-run, -1", "--max-files-per-run, 0",
      "--max-message-bytes, 0", "--max-message-bytes, 100", "--max-import-bytes, -1", "--max-import-bytes, 0",
      "--fold-interval-ms, -1", "--fold-interval-ms, 0", "--max-streams-per-connection, 0", "--port, 70000",
      "--port, -1", "--watch-queue-capacity, 0"})
  void outOfRangeOption_refusesToStartNamingIt(String option, String value) throws Exception {
    Path root = Files.createTempDirectory("execlog-options-");
    StringWriter err = new StringWriter();
    // --port is given once: a second --port would be refused for another reason
    int exit = new CommandLine(new ServerMain()).setErr(new PrintWriter(err, true))
        .execute(option.equals("--port") ? new String[] {"--root", root.toString(), option, value}
            : new String[] {"--root", root.toString(), "--port", "0", option, value});
    assertEquals(2, exit, "a usage error: " + err);
    assertTrue(err.toString().contains(option) && err.toString().contains(value) && err.toString().contains("range"),
        err.toString());
    assertFalse(Files.exists(root.resolve(ServerConfig.DEFAULT_LOG)), "nothing was created");
  }

  @Test
  void httpPortWithClientCertificates_isRefusedSinceHttpWouldNotAskForThem() throws Exception {
    Path root = Files.createTempDirectory("execlog-options-");
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new ServerMain()).setErr(new PrintWriter(err, true)).execute("--root", root.toString(),
        "--port", "0", "--http-port", "0", "--tls-client-ca", root.resolve("ca.pem").toString());
    assertEquals(2, exit, err.toString());
    assertTrue(err.toString().contains("--http-port cannot be combined with --tls-client-ca"), err.toString());
    assertFalse(Files.exists(root.resolve(ServerConfig.DEFAULT_LOG)), "nothing was created");
  }
}
