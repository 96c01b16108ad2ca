package dev.execlog.client.model;

/** A file a run wrote; {@code type} and {@code description} may be empty. */
public record OutputFile(String path, String type, String description) {

  public static OutputFile of(String path) {
    return new OutputFile(path, "", "");
  }
}
