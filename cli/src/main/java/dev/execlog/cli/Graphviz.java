package dev.execlog.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Draws DOT as SVG with Graphviz's {@code dot} command, which must be on PATH. */
final class Graphviz {

  private static final long TIMEOUT_SECONDS = 60;
  private static final String INSTALL_HINT = "install Graphviz (Debian/Ubuntu: sudo apt-get install graphviz),"
      + " or print --format dot and draw it elsewhere.";

  private final String command;

  Graphviz() {
    this("dot");
  }

  /** @param command the dot executable; tests name one that does not exist */
  Graphviz(String command) {
    this.command = command;
  }

  String svg(String dot) {
    String what = "draw the graph as SVG";
    Process p;
    try {
      p = new ProcessBuilder(command, "-Tsvg").start();
    } catch (IOException e) {
      throw new CliFailure(what, "Graphviz's '" + command + "' command is not on PATH", ExitCode.ERROR, INSTALL_HINT, e);
    }
    CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    try (OutputStream in = p.getOutputStream()) {
      in.write(dot.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      p.destroyForcibly();
      throw new CliFailure(what, "'" + command + "' stopped reading its input: " + e.getMessage(), ExitCode.ERROR);
    }
    String svg = read(p.getInputStream());
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new CliFailure(what, "'" + command + "' took longer than " + TIMEOUT_SECONDS + " s", ExitCode.ERROR);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new CliFailure(what, "interrupted", ExitCode.INTERRUPTED);
    }
    if (p.exitValue() != 0) {
      String message = errors.join().strip();
      throw new CliFailure(what, "'" + command + "' failed (exit " + p.exitValue() + ")"
          + (message.isEmpty() ? "" : ": " + message.lines().findFirst().orElse("")), ExitCode.ERROR);
    }
    return svg;
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
