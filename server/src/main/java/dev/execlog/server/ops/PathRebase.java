package dev.execlog.server.ops;

import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.Execution;
import dev.execlog.server.model.InputFile;
import dev.execlog.server.model.OutputFile;
import java.nio.file.Path;
import java.util.List;

/**
 * Moves a log between projects: absolute paths under the project root the log was written in
 * become relative, so the receiving server reads them against its own root. Other paths are left
 * to the path policy, which refuses those that escape the root.
 */
public final class PathRebase {

  /** Leaves every path as it is. */
  public static final PathRebase NONE = new PathRebase(null);

  private final Path sourceRoot;

  private PathRebase(Path sourceRoot) {
    this.sourceRoot = sourceRoot;
  }

  /** A rebase from {@code sourceRoot}; empty means none. Must be absolute. */
  public static PathRebase from(String sourceRoot, String field) {
    if (sourceRoot == null || sourceRoot.isEmpty()) {
      return NONE;
    }
    if (sourceRoot.indexOf('\0') >= 0 || !sourceRoot.startsWith("/")) {
      throw ExecLogException.invalid(field, "must be an absolute path, such as /home/alice/old-project");
    }
    return new PathRebase(Path.of(sourceRoot).normalize());
  }

  public Execution apply(Execution run) {
    if (sourceRoot == null) {
      return run;
    }
    List<InputFile> inputs = run.inputFiles().stream()
        .map(f -> new InputFile(f.name(), rebase(f.path()), f.extraFields())).toList();
    List<OutputFile> outputs = run.outputFiles().stream()
        .map(f -> new OutputFile(rebase(f.path()), f.type(), f.description(), f.extraFields())).toList();
    return run.toBuilder().reportPath(rebase(run.reportPath())).inputFiles(inputs).outputFiles(outputs).build();
  }

  String rebase(String path) {
    if (!path.startsWith("/")) {
      return path;
    }
    Path p = Path.of(path).normalize();
    if (!p.startsWith(sourceRoot)) {
      return path;
    }
    Path relative = sourceRoot.relativize(p);
    return relative.toString().isEmpty() ? "." : relative.toString();
  }
}
