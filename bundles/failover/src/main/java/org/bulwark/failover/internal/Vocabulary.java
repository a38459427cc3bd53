package org.bulwark.failover.internal;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The words of the rules language (spec B.19, B.20), and "did you mean" for the others. */
public final class Vocabulary {

  /**
   * Resource classes a rule may name: the guide's list for rules (ping, intf, tcp, custom, module,
   * heartbeat, rfs), the classes of the predefined rules (ip, splitbrain) and the rest of the
   * resource catalogue (spec B.20).
   */
  public static final List<String> CLASSES =
      List.of(
          "ping",
          "intf",
          "tcp",
          "custom",
          "module",
          "heartbeat",
          "rfs",
          "ip",
          "splitbrain",
          "proc",
          "state",
          "usersetting",
          "heart",
          "connections");

  /** Resource states (spec B.19) and module states ({@code state.local}, spec C.1, D.1). */
  public static final Set<String> STATES =
      Set.of(
          "up", "down", "init", "unknown", "STOP", "WAIT", "ALONE", "PRIM", "SECOND", "UP",
          "UNKNOWN");

  /** The actions of spec B.19, with the internal {@code wakeup}. */
  public static final List<String> ACTIONS =
      List.of("stop", "stopstart", "wait", "restart", "swap", "wakeup");

  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?%?");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z_][A-Za-z0-9_.\\-]*");

  private Vocabulary() {}

  public static boolean isNumber(String word) {
    return NUMBER.matcher(word).matches();
  }

  public static boolean isLabel(String word) {
    return LABEL.matcher(word).matches();
  }

  /** The numeric value of a number or percentage ({@code 50%} → 50). */
  public static double number(String word) {
    return Double.parseDouble(word.endsWith("%") ? word.substring(0, word.length() - 1) : word);
  }

  /** {@code did you mean 'x'?} for the closest of {@code known} within two edits, else null. */
  public static String suggest(String word, Iterable<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String k : known) {
      int d =
          distance(word.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best == null ? null : "did you mean '" + best + "'?";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
