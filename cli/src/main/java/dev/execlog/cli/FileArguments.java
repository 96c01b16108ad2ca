package dev.execlog.cli;

import dev.execlog.client.model.InputFile;
import dev.execlog.client.model.OutputFile;
import java.nio.file.Path;

/** Parses the file arguments of record and update: {@code [NAME=]PATH} and {@code PATH[::TYPE[::DESCRIPTION]]}. */
final class FileArguments {

  private FileArguments() {}

  /** {@code customers=DATA/raw/customers.csv}, or a bare path named after its file name. */
  static InputFile input(String spec) {
    int eq = spec.indexOf('=');
    if (eq > 0) {
      return new InputFile(spec.substring(0, eq), spec.substring(eq + 1));
    }
    Path name = Path.of(spec).getFileName();
    return new InputFile(name == null ? spec : stripExtension(name.toString()), spec);
  }

  /** {@code DATA/out.csv}, {@code DATA/out.csv::csv} or {@code "DATA/out.csv::csv::Processed data"}. */
  static OutputFile output(String spec) {
    String[] parts = spec.split("::", 3);
    return new OutputFile(parts[0], parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "");
  }

  private static String stripExtension(String file) {
    int dot = file.lastIndexOf('.');
    return dot > 0 ? file.substring(0, dot) : file;
  }
}
