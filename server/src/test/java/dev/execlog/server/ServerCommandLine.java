package dev.execlog.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code execlog-server} with arguments in this JVM, as a shell would, for tests of its commands. */
public final class ServerCommandLine {

  /** Exit code, standard output and standard error of one command line. */
  public record Result(int exit, String out, String err) {}

  private ServerCommandLine() {}

  public static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new ServerMain()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
        .execute(args);
    return new Result(exit, out.toString(), err.toString());
  }
}
