package dev.execlog.server.ops;

import dev.execlog.server.model.ExecLogException;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The fields an update changes, read from field mask paths (AIP-161): whole fields, and single
 * keys of the run's extra fields as {@code extra_fields.KEY}, a key holding {@code .} or a backtick
 * quoted in backticks ({@code extra_fields.`a.b`}, a backtick inside doubled).
 */
public record UpdateMask(Set<RunField> fields, Set<String> extraKeys) {

  private static final String EXTRA_PREFIX = RunField.EXTRA_FIELDS.protoName() + ".";

  public UpdateMask {
    fields = Collections.unmodifiableSet(EnumSet.copyOf(fields.isEmpty() ? EnumSet.noneOf(RunField.class) : fields));
    extraKeys = Collections.unmodifiableSet(new LinkedHashSet<>(extraKeys));
  }

  public boolean isEmpty() {
    return fields.isEmpty() && extraKeys.isEmpty();
  }

  public boolean has(RunField field) {
    return fields.contains(field);
  }

  /** Reads mask paths; an unknown or immutable path is INVALID_ARGUMENT on {@code field}. */
  public static UpdateMask parse(List<String> paths, String field) {
    Set<RunField> fields = EnumSet.noneOf(RunField.class);
    Set<String> keys = new LinkedHashSet<>();
    for (String path : paths) {
      if (path.equals("run_id") || path.equals("task_id")) {
        throw ExecLogException.invalid(field, path + " cannot change; record a new run instead");
      }
      if (path.startsWith(EXTRA_PREFIX)) {
        keys.add(extraKey(path.substring(EXTRA_PREFIX.length()), path, field));
        continue;
      }
      RunField runField = RunField.byProtoName(path);
      if (runField == null) {
        throw ExecLogException.invalid(field, "unknown field '" + path + "'; allowed: "
            + String.join(", ", Arrays.stream(RunField.values()).map(RunField::protoName).toList())
            + ", or extra_fields.KEY for one extra key");
      }
      fields.add(runField);
    }
    return new UpdateMask(fields, keys);
  }

  private static String extraKey(String spelled, String path, String field) {
    if (spelled.length() >= 2 && spelled.startsWith("`") && spelled.endsWith("`")) {
      String inner = spelled.substring(1, spelled.length() - 1);
      if (inner.replace("``", "").contains("`")) {
        throw ExecLogException.invalid(field, "'" + path + "': a backtick inside a quoted key is written twice");
      }
      return inner.replace("``", "`");
    }
    if (spelled.isEmpty() || spelled.contains(".") || spelled.contains("`")) {
      throw ExecLogException.invalid(field, "'" + path + "': quote a key holding '.' or '`' in backticks, "
          + "as in extra_fields.`a.b`");
    }
    return spelled;
  }
}
