package dev.execlog.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment variables the client shares with the command line, read by one factory. */
class ConnectionOptionsTest {

  @TempDir
  Path dir;

  @Test
  void fromEnvironment_nothingSet_plaintextToTheLocalDefault() {
    ConnectionOptions options = ConnectionOptions.fromEnvironment(Map.of());

    assertEquals(new ConnectionOptions("localhost:50051", null, null, null, null, null), options);
    assertFalse(options.usesTls());
  }

  @Test
  void fromEnvironment_everyVariable_readsEach() {
    ConnectionOptions options = ConnectionOptions.fromEnvironment(Map.of(
        "EXECLOG_SERVER", "logs.internal:7000",
        "EXECLOG_TLS_CA", "/etc/execlog/ca.pem",
        "EXECLOG_TLS_CERT", "/etc/execlog/client.pem",
        "EXECLOG_TLS_KEY", "/etc/execlog/client.key",
        "EXECLOG_TLS_AUTHORITY", "logs.example",
        "EXECLOG_TOKEN", " s3cret \n"));

    assertEquals(new ConnectionOptions("logs.internal:7000", Path.of("/etc/execlog/ca.pem"),
        Path.of("/etc/execlog/client.pem"), Path.of("/etc/execlog/client.key"), "s3cret", "logs.example"), options);
    assertTrue(options.usesTls());
  }

  @Test
  void fromEnvironment_tokenFileAndToken_theFileWins() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "from-file\n");

    ConnectionOptions options = ConnectionOptions.fromEnvironment(Map.of(
        "EXECLOG_TOKEN", "from-variable", "EXECLOG_TOKEN_FILE", file.toString()));

    assertEquals("from-file", options.token());
  }

  @Test
  void fromEnvironment_blankValues_countAsUnset() {
    ConnectionOptions options = ConnectionOptions.fromEnvironment(Map.of(
        "EXECLOG_SERVER", " ", "EXECLOG_TLS_CA", "", "EXECLOG_TOKEN", "  ", "EXECLOG_TOKEN_FILE", ""));

    assertEquals("localhost:50051", options.target());
    assertNull(options.caFile());
    assertNull(options.token());
  }

  @Test
  void fromEnvironment_missingTokenFile_saysWhichFile() {
    Path missing = dir.resolve("no-such-token");

    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> ConnectionOptions.fromEnvironment(Map.of("EXECLOG_TOKEN_FILE", missing.toString())));

    assertEquals("cannot read the token file " + missing + ": no such file", e.getMessage());
  }

  @Test
  void withers_overrideTheEnvironment() {
    ConnectionOptions options = ConnectionOptions.fromEnvironment(Map.of("EXECLOG_SERVER", "a:1", "EXECLOG_TOKEN", "t"))
        .withTarget("b:2").withCaFile(Path.of("ca.pem")).withAuthority("b.example").withToken("u");

    assertEquals(new ConnectionOptions("b:2", Path.of("ca.pem"), null, null, "u", "b.example"), options);
  }

  @Test
  void toString_neverShowsTheToken() {
    String text = ConnectionOptions.plaintext("a:1").withToken("s3cret-token").toString();

    assertFalse(text.contains("s3cret-token"), text);
    assertTrue(text.contains("target=a:1"), text);
  }

  @Test
  void addressList_parsesEachEntryInOrder() {
    assertEquals(List.of(new ServerAddresses.HostPort("a.internal", 50051), new ServerAddresses.HostPort("::1", 7000),
        new ServerAddresses.HostPort("10.0.0.2", 1)), ServerAddresses.parse("a.internal:50051, [::1]:7000,10.0.0.2:1"));
    assertEquals("[::1]:7000", new ServerAddresses.HostPort("::1", 7000).authority());
  }

  @Test
  void addressList_badEntry_openChannelNamesIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConnectionOptions.plaintext("a:1,b").openChannel());
    assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("the port is missing"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ConnectionOptions.plaintext("a:1,,b:2").openChannel());
  }

  @Test
  void serviceConfig_pythonAndNodeCarryTheSameOne() throws Exception {
    Map<String, ?> java = ServiceConfig.get();
    for (String copy : List.of("python/execlog/service_config.json", "node/src/service-config.json")) {
      Object parsed = io.grpc.internal.JsonParser.parse(Files.readString(Path.of(copy)));
      assertEquals(java, parsed, copy);
    }
  }
}
