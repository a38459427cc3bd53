package org.bulwark.config.internal;

import java.util.Collection;
import java.util.Locale;

/** "did you mean …" for misspelt names: the closest allowed name by Levenshtein distance. */
public final class Suggest {

  private Suggest() {}

  /** {@code did you mean 'x'?} for the closest candidate near enough, else null. */
  public static String didYouMean(String given, Collection<String> candidates) {
    String best = closest(given, candidates);
    return best == null ? null : "did you mean '" + best + "'?";
  }

  /** The closest candidate within a distance that still reads as a typo, else null. */
  public static String closest(String given, Collection<String> candidates) {
    String lower = given.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance = distance(lower, candidate.toLowerCase(Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    int allowed = given.length() <= 3 ? 1 : given.length() <= 6 ? 2 : 3;
    return best != null && bestDistance <= allowed && !best.equals(given) ? best : null;
  }

  /** Levenshtein distance counting a transposition of neighbours as one edit. */
  static int distance(String a, String b) {
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
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
