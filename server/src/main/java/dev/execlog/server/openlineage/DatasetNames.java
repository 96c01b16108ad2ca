package dev.execlog.server.openlineage;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's file path as an OpenLineage dataset {namespace, name}, after the spec's naming
 * conventions (openlineage.io/docs/spec/naming): a plain path is on the local file system,
 * namespace {@code file} and the path as name; a URL path gives its scheme and authority as
 * namespace ({@code s3://bucket}) and the rest as name (the object key for blob stores, the path
 * otherwise). Both lineage graphs then join on the same names as execlog's own.
 */
public record DatasetNames(String namespace, String name) {

  private static final Pattern URL = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://([^/]*)(.*)", Pattern.DOTALL);
  /** Schemes whose dataset name is the object key, without the leading slash. */
  private static final Set<String> BLOB_STORES = Set.of("s3", "s3a", "s3n", "gs", "gcs", "wasbs", "abfs", "abfss");

  public static DatasetNames of(String path) {
    Matcher m = URL.matcher(path);
    if (!m.matches()) {
      return new DatasetNames("file", path);
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    String authority = m.group(2);
    String rest = m.group(3);
    if (scheme.equals("file")) {
      return new DatasetNames(authority.isEmpty() ? "file" : "file://" + authority, rest);
    }
    String name = BLOB_STORES.contains(scheme) && rest.startsWith("/") ? rest.substring(1) : rest;
    return new DatasetNames(scheme + "://" + authority, name);
  }
}
