package dev.execlog.client.model;

import java.util.Map;

/**
 * A file a run read: a named input dataset.
 *
 * @param extraFields keys of the entry beyond {@code name} and {@code path}, such as the
 *     {@code added_at} that track-inputs writes; see {@link ExtraFields}
 */
public record InputFile(String name, String path, Map<String, String> extraFields) {

  public InputFile {
    extraFields = ExtraFields.copyOf(extraFields);
  }

  public InputFile(String name, String path) {
    this(name, path, Map.of());
  }
}
