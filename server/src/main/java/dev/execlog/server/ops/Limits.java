package dev.execlog.server.ops;

/**
 * Size limits on requests, each configurable on the server's command line.
 *
 * @param maxFilesPerRun input or output files one run may list
 * @param maxPageSize the largest page a List call returns
 * @param maxImportBytes the largest file an import accepts
 */
public record Limits(int maxFilesPerRun, int maxPageSize, long maxImportBytes) {

  public static final int DEFAULT_PAGE_SIZE = 100;

  public static Limits defaults() {
    return new Limits(1000, 1000, 2L * 1024 * 1024 * 1024);
  }
}
