package dev.execlog.server.json;

/** The text is not a log in the spec's format; the message says where. */
public class LogFormatException extends Exception {
  public LogFormatException(String message) {
    super(message);
  }

  public LogFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
