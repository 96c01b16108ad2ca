package dev.execlog.server.ops;

/**
 * Size limits on requests, each configurable on the server's command line.
 *
 * @param maxFilesPerRun input or output files one run may list
 * @param maxPageSize the largest page a List call returns
 * @param maxImportBytes the largest file an import accepts
 * @param maxRunBytes the most one run may weigh (its texts and extra values in UTF-8), kept well
 *     under the 4 MiB clients accept in one message so that any run can always be read back
 */
public record Limits(int maxFilesPerRun, int maxPageSize, long maxImportBytes, int maxRunBytes) {

  public static final int DEFAULT_PAGE_SIZE = 100;
  public static final int DEFAULT_MAX_RUN_BYTES = 1024 * 1024;

  public Limits(int maxFilesPerRun, int maxPageSize, long maxImportBytes) {
    this(maxFilesPerRun, maxPageSize, maxImportBytes, DEFAULT_MAX_RUN_BYTES);
  }

  public static Limits defaults() {
    return new Limits(1000, 1000, 2L * 1024 * 1024 * 1024, DEFAULT_MAX_RUN_BYTES);
  }
}
