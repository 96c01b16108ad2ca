package dev.execlog;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version and source commit of this build, the same for the server, the client library and the
 * CLI: Maven writes them into {@code build.properties} when the contract module is built.
 */
public final class BuildInfo {

  /** The release version, such as {@code 0.1.0}. */
  public static final String VERSION;
  /** The abbreviated git commit the build came from ({@code unknown} outside a git checkout). */
  public static final String COMMIT;

  static {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // keep the fallbacks below
    }
    VERSION = filled(p.getProperty("version"), "unknown");
    String commit = filled(p.getProperty("commit"), "unknown");
    COMMIT = "true".equals(p.getProperty("dirty")) && !commit.equals("unknown") ? commit + "-dirty" : commit;
  }

  private BuildInfo() {}

  /** {@code 0.1.0 (commit 1a2b3c4d5e)}: what {@code --version} prints. */
  public static String describe() {
    return VERSION + " (commit " + COMMIT + ")";
  }

  private static String filled(String value, String fallback) {
    // An unfilled "${...}" means the build had no such property (a copy built outside git).
    return value == null || value.isBlank() || value.startsWith("${") ? fallback : value.strip();
  }
}
