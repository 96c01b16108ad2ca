package dev.execlog.server.observe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * The server's logging, set once at start: a level, text or JSON lines on standard error, and the
 * audit trail either there or in its own file of JSON lines. gRPC's and Netty's own loggers speak
 * only at warning and above unless the level is debug, so a client hanging up is no stack trace.
 */
public final class LogSetup {

  /** An operator's own JUL text format, which then takes the place of {@link TextLogFormatter}. */
  private static final String OWN_TEXT_FORMAT = "java.util.logging.SimpleFormatter.format";
  public static final String AUDIT_LOGGER = "execlog.audit";

  public enum Format { TEXT, JSON }

  public enum Verbosity {
    ERROR(Level.SEVERE), WARN(Level.WARNING), INFO(Level.INFO), DEBUG(Level.FINE);

    final Level level;

    Verbosity(Level level) {
      this.level = level;
    }
  }

  /**
   * JUL holds loggers weakly: a level or handler set on a logger nobody references is lost when it
   * is collected, so the configured ones are kept here.
   */
  private static final List<Logger> CONFIGURED = new CopyOnWriteArrayList<>();
  private static volatile Formatter consoleFormat = new TextLogFormatter();

  private LogSetup() {}

  /**
   * @param auditFile where the audit trail goes as JSON lines, or null to keep it in the main log
   */
  public static void apply(Format format, Verbosity verbosity, Path auditFile) {
    LogManager.getLogManager().reset();
    Logger root = Logger.getLogger("");
    root.setLevel(verbosity.level);
    Handler console = new LineHandler(System.err, false);
    console.setLevel(verbosity.level);
    consoleFormat = formatter(format);
    console.setFormatter(consoleFormat);
    root.addHandler(console);
    CONFIGURED.clear();
    CONFIGURED.add(root);
    Level libraries = verbosity == Verbosity.DEBUG ? Level.FINE : Level.WARNING;
    for (String name : new String[] {"io.grpc", "io.netty", "io.grpc.netty.shaded"}) {
      Logger library = Logger.getLogger(name);
      library.setLevel(libraries);
      CONFIGURED.add(library);
    }
    Logger audit = Logger.getLogger(AUDIT_LOGGER);
    audit.setLevel(Level.INFO);
    CONFIGURED.add(audit);
    if (auditFile != null) {
      try {
        Handler file = new LineHandler(Files.newOutputStream(auditFile, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND, StandardOpenOption.WRITE), true);
        file.setFormatter(new JsonLogFormatter());
        audit.addHandler(file);
        audit.setUseParentHandlers(false);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open the audit log " + auditFile + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Logs from a shutdown hook: JUL's own hook may already have closed the handlers, so the line is
   * formatted as configured and written to standard error directly.
   */
  public static void atExit(String loggerName, String message) {
    LogRecord record = new LogRecord(Level.INFO, message);
    record.setLoggerName(loggerName);
    System.err.print(consoleFormat.format(record));
    System.err.flush();
  }

  private static Formatter formatter(Format format) {
    if (format == Format.JSON) {
      return new JsonLogFormatter();
    }
    return System.getProperty(OWN_TEXT_FORMAT) != null ? new SimpleFormatter() : new TextLogFormatter();
  }

  /** The level's name as operators write it: error, warn, info, debug. */
  static String levelName(Level level) {
    if (level.intValue() >= Level.SEVERE.intValue()) {
      return "error";
    }
    if (level.intValue() >= Level.WARNING.intValue()) {
      return "warn";
    }
    return level.intValue() >= Level.INFO.intValue() ? "info" : "debug";
  }
}
