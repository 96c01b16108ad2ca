package dev.execlog.server.paths;

import dev.execlog.server.model.ExecLogException;
import dev.execlog.server.model.TextRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The one rule every recorded or queried path goes through, so that the same file always has the
 * same stored form and a producer lookup by relative path finds a run recorded with an absolute one.
 *
 * <p>Stored form: relative to the project root with {@code /} separators when the path lies under
 * the root; absolute and normalized when it lies under one of the allowed extra roots. Rejected:
 * control characters, {@code ~}, paths escaping the root with {@code ..}, absolute paths outside
 * the root and the allowed roots, symbolic links leading out of them, and paths over the length limit.
 */
public final class PathPolicy {

  public static final int MAX_PATH_LENGTH = 4096;
  /** Encoded dots and separators: harmless on disk, but a trap for any tool that decodes them later. */
  private static final Pattern ENCODED_SEPARATOR =
      Pattern.compile("%(2e|2f|5c|00)", Pattern.CASE_INSENSITIVE);

  private final Path root;
  private final Path realRoot;
  private final List<Path> allowedRoots;

  public PathPolicy(Path projectRoot, List<Path> allowedRoots) {
    this.root = projectRoot.toAbsolutePath().normalize();
    this.realRoot = realOrSelf(root);
    this.allowedRoots = allowedRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
  }

  public Path root() {
    return root;
  }

  /** The last segment of a path, with either separator: the default name of an input dataset. */
  public static String fileName(String path) {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return slash >= 0 ? path.substring(slash + 1) : path;
  }

  /** Normalizes a path from a request; {@code field} names it in the error when it is rejected. */
  public String normalize(String raw, String field) {
    return normalize(raw, field, true);
  }

  /** Checks the text alone, without looking at the file system: for whole-log passes. */
  public String checkLexically(String raw, String field) {
    return normalize(raw, field, false);
  }

  private String normalize(String raw, String field, boolean followLinks) {
    if (raw == null || raw.isEmpty()) {
      throw ExecLogException.invalid(field, "a path is required");
    }
    if (raw.length() > MAX_PATH_LENGTH) {
      throw ExecLogException.invalid(field, "path longer than " + MAX_PATH_LENGTH + " characters");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        throw ExecLogException.invalid(field, "path holds a control character at index " + i);
      }
    }
    // One spelling per name: NFC, with no invisible characters that would make two paths look alike.
    raw = TextRules.path(raw, field);
    if (isPlainRelative(raw)) {
      // Already in stored form; only links on the way can still lead out.
      if (followLinks) {
        rejectEscapingLinksPlain(raw, field);
      }
      return raw;
    }
    String text = raw.replace('\\', '/');
    if (ENCODED_SEPARATOR.matcher(text).find()) {
      throw ExecLogException.invalid(field, "path holds a percent-encoded '.', '/', '\\' or NUL; send it decoded");
    }
    if (text.startsWith("~")) {
      throw ExecLogException.invalid(field, "paths starting with '~' are not expanded; give it relative to the project root");
    }
    Path path;
    try {
      path = Path.of(text);
    } catch (InvalidPathException e) {
      throw ExecLogException.invalid(field, "not a valid path: " + e.getReason());
    }
    Path absolute = (path.isAbsolute() ? path : root.resolve(path)).normalize();
    String stored;
    if (absolute.startsWith(root)) {
      stored = toStoredForm(root.relativize(absolute));
    } else if (allowedRoots.stream().anyMatch(absolute::startsWith)) {
      stored = absolute.toString();
    } else if (path.isAbsolute()) {
      throw ExecLogException.pathOutsideRoot(field, raw, "absolute path outside the project root and the allowed roots");
    } else {
      throw ExecLogException.pathOutsideRoot(field, raw, "path escapes the project root with '..'");
    }
    if (stored.isEmpty()) {
      throw ExecLogException.invalid(field, "path names the project root itself, not a file");
    }
    if (followLinks) {
      rejectEscapingLinks(absolute, field);
    }
    return stored;
  }

  /**
   * Normalizes when possible; otherwise returns the text as given. For indexing loaded records; a
   * path already in stored form is returned as the same instance, so the index shares the string.
   */
  public String indexKey(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "";
    }
    if (isPlainRelative(raw)) {
      return raw;
    }
    try {
      String key = normalizeLexically(raw);
      return key.equals(raw) ? raw : key;
    } catch (RuntimeException e) {
      return raw;
    }
  }

  /**
   * True for the common case that needs no work: a relative path of plain segments separated by
   * single slashes, without {@code .}, {@code ..}, {@code ~}, backslashes or control characters.
   * Checked in one pass, which keeps whole-log validation linear and cheap.
   */
  static boolean isPlainRelative(String p) {
    int n = p.length();
    if (n == 0 || n > MAX_PATH_LENGTH || p.charAt(0) == '/' || p.charAt(0) == '~' || p.charAt(n - 1) == '/') {
      return false;
    }
    // One table lookup a character: this runs for every path of every run at start-up.
    int segmentStart = 0;
    for (int i = 0; i < n; i++) {
      char c = p.charAt(i);
      if (c >= ASCII_KINDS.length) {
        if (c < 0xa0) {
          return false;
        }
      } else if (ASCII_KINDS[c] != PLAIN) {
        if (ASCII_KINDS[c] == REFUSED || isEmptyOrDots(p, segmentStart, i)) {
          return false;
        }
        segmentStart = i + 1;
      }
    }
    return !isEmptyOrDots(p, segmentStart, n);
  }

  private static final byte PLAIN = 0;
  private static final byte SLASH = 1;
  private static final byte REFUSED = 2;
  /** What each ASCII character is to {@link #isPlainRelative}: control characters, DEL, {@code \ : %} are refused. */
  private static final byte[] ASCII_KINDS = new byte[128];

  static {
    for (int c = 0; c < 0x20; c++) {
      ASCII_KINDS[c] = REFUSED;
    }
    ASCII_KINDS[0x7f] = REFUSED;
    ASCII_KINDS['\\'] = REFUSED;
    ASCII_KINDS[':'] = REFUSED;
    ASCII_KINDS['%'] = REFUSED;
    ASCII_KINDS['/'] = SLASH;
  }

  /** Whether {@code p[from, to)} is an empty, {@code .} or {@code ..} segment. */
  private static boolean isEmptyOrDots(String p, int from, int to) {
    int len = to - from;
    return len == 0 || (len == 1 && p.charAt(from) == '.')
        || (len == 2 && p.charAt(from) == '.' && p.charAt(from + 1) == '.');
  }

  private String normalizeLexically(String raw) {
    Path path = Path.of(raw.replace('\\', '/'));
    Path absolute = (path.isAbsolute() ? path : root.resolve(path)).normalize();
    return absolute.startsWith(root) ? toStoredForm(root.relativize(absolute)) : absolute.toString();
  }

  /**
   * A link inside the root may point anywhere; follow what exists and check where it lands. Where a
   * directory leads is remembered for a second: an import checks hundreds of thousands of paths in
   * a few directories, and a link swapped in later is caught once the entry expires.
   */
  private void rejectEscapingLinks(Path absolute, String field) {
    Path dir = absolute.getParent();
    Verdict verdict = dir == null ? null : directoryVerdict(dir);
    boolean inside;
    if (verdict != null && !verdict.exists()) {
      inside = verdict.inside(); // no directory, so no file and no link in it
    } else if (Files.isSymbolicLink(absolute)) {
      inside = isInside(realOrSelf(absolute));
    } else {
      inside = verdict == null || verdict.inside();
    }
    if (!inside) {
      throw ExecLogException.pathOutsideRoot(field, root.relativize(absolute).toString(),
          "path leads through a symbolic link out of the project root");
    }
  }

  /**
   * The same check for a path already in stored form, keyed by the text of its directory: the
   * common case (a file in a directory that does not exist on the server) then costs one map lookup
   * and builds no {@link Path} at all.
   */
  private void rejectEscapingLinksPlain(String relative, String field) {
    int slash = relative.lastIndexOf('/');
    String dirKey = slash < 0 ? "" : relative.substring(0, slash);
    Verdict cached = plainDirectories.get(dirKey);
    if (cached == null || cached.until() - System.nanoTime() <= 0) {
      cached = directoryVerdict(slash < 0 ? root : root.resolve(dirKey));
      if (plainDirectories.size() > DIRECTORY_CACHE_LIMIT) {
        plainDirectories.clear();
      }
      plainDirectories.put(dirKey, cached);
    }
    if (cached.exists()) {
      rejectEscapingLinks(root.resolve(relative), field);
    } else if (!cached.inside()) {
      throw ExecLogException.pathOutsideRoot(field, relative, "path leads through a symbolic link out of the project root");
    }
  }

  private final ConcurrentHashMap<String, Verdict> plainDirectories =
      new ConcurrentHashMap<>();

  private static final long DIRECTORY_CACHE_NANOS = 1_000_000_000L;
  private static final int DIRECTORY_CACHE_LIMIT = 50_000;

  /**
   * Whether a directory leads inside the root, whether it exists, and until when ({@link
   * System#nanoTime()}) that holds.
   */
  private record Verdict(boolean inside, boolean exists, long until) {}

  private final ConcurrentHashMap<Path, Verdict> directories =
      new ConcurrentHashMap<>();

  private Verdict directoryVerdict(Path dir) {
    long now = System.nanoTime();
    Verdict cached = directories.get(dir);
    if (cached != null && cached.until() - now > 0) {
      return cached;
    }
    Verdict verdict;
    Path parent = dir.getParent();
    Verdict up = parent == null ? null : directories.get(parent);
    if (up != null && !up.exists() && up.until() - now > 0) {
      // Nothing can be inside a directory just found missing: no look at the disk, and the answer
      // expires with the parent's.
      verdict = new Verdict(up.inside(), false, up.until());
    } else if (dir.toFile().exists()) {
      // File.exists, not Files.exists: on a miss Files.exists builds and throws an exception inside,
      // a sixth of a record's CPU. It follows links, which changes no verdict: a dangling link, like
      // a missing directory, leads where its parent does.
      verdict = new Verdict(isInside(realOrSelf(dir)), true, now + DIRECTORY_CACHE_NANOS);
    } else {
      // A directory that does not exist leads where its nearest existing ancestor does. The parent's
      // verdict comes from the cache: runs writing to a fresh directory each (runs/<time>/...) then
      // cost one look at the disk, not one for every missing level and a realpath; it expires with
      // the parent's.
      up = parent == null ? null : directoryVerdict(parent);
      verdict = up == null ? new Verdict(true, false, now + DIRECTORY_CACHE_NANOS)
          : new Verdict(up.inside(), false, up.until() - now < DIRECTORY_CACHE_NANOS ? up.until() : now + DIRECTORY_CACHE_NANOS);
    }
    if (directories.size() > DIRECTORY_CACHE_LIMIT) {
      directories.clear();
    }
    directories.put(dir, verdict);
    return verdict;
  }

  private boolean isInside(Path real) {
    return real.startsWith(realRoot) || allowedRoots.stream().anyMatch(r -> real.startsWith(realOrSelf(r)));
  }

  private static String toStoredForm(Path relative) {
    return relative.toString().replace('\\', '/');
  }

  private static Path realOrSelf(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return p;
    }
  }
}
