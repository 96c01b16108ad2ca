package dev.execlog.cli;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Guesses what a mistyped command, option or value meant, for "did you mean" hints. */
final class Typos {

  private Typos() {}

  /** The candidate {@code typed} most likely meant, when one is a few edits away. */
  static Optional<String> nearest(String typed, Iterable<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(typed.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      // the nearest by edits; among equals the first, so the candidates' order breaks ties
      if (close(typed, c) && d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** "; did you mean 'x'?" for the nearest candidate, or nothing. */
  static String hint(String typed, List<String> candidates) {
    return nearest(typed, candidates).map(c -> "; did you mean '" + c + "'?").orElse("");
  }

  /** Whether {@code suggestion} is a likely meaning of {@code typed}: a few edits apart, or cut short. */
  static boolean close(String typed, String suggestion) {
    String a = typed.replaceFirst("^-+", "").toLowerCase(Locale.ROOT);
    String b = suggestion.replaceFirst("^-+", "").toLowerCase(Locale.ROOT);
    return distance(a, b) <= Math.max(1, Math.min(a.length(), b.length()) / 3)
        || a.length() >= 3 && b.startsWith(a);
  }

  /** Damerau-Levenshtein distance (with adjacent swaps), as typos are usually one of those. */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

}
