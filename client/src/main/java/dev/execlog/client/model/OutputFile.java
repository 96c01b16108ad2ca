package dev.execlog.client.model;

import java.util.Map;

/**
 * A file a run wrote; {@code type} and {@code description} may be empty.
 *
 * @param extraFields keys of the entry beyond {@code path}, {@code type} and {@code description},
 *     such as the {@code added_at} that track-outputs writes; see {@link ExtraFields}
 */
public record OutputFile(String path, String type, String description, Map<String, String> extraFields) {

  public OutputFile {
    extraFields = ExtraFields.copyOf(extraFields);
  }

  public OutputFile(String path, String type, String description) {
    this(path, type, description, Map.of());
  }

  public static OutputFile of(String path) {
    return new OutputFile(path, "", "");
  }
}
