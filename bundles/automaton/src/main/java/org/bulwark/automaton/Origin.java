package org.bulwark.automaton;

import java.util.Objects;

/**
 * Who asked for a command; decides the wording of the {@code Action …} log line (spec F.3, H, log
 * index) and whether the maxloop counter counts it (spec B.3: only commands given with {@code -i
 * <identity>} or by failover rules count, any other administrative command resets it).
 *
 * @param kind the kind of origin
 * @param name user ({@code root}, {@code admin@10.0.0.3}, {@code SYSTEM}), identity ({@code errd})
 *     or failover rule label ({@code module_failure})
 */
public record Origin(Kind kind, String name) {

  /** Kinds of origin. */
  public enum Kind {
    /** {@code Action X called by root}. */
    ADMIN,
    /** {@code Action X called by errd} ({@code -i errd}); counts for maxloop. */
    IDENTITY,
    /** {@code Action X from failover rule module_failure}; counts for maxloop. */
    RULE,
    /**
     * {@code Action wait from failover rule rfs_syncat_wait}: an internal rule's decision is no
     * error, so it does not count for maxloop (docs/failover.md).
     */
    INTERNAL_RULE,
    /** {@code Action start called at boot time}. */
    BOOT,
    /** {@code Action start called automatically} (second half of a stopstart). */
    AUTOMATIC
  }

  public Origin {
    Objects.requireNonNull(kind, "kind");
    name = name == null ? "" : name;
  }

  public static Origin admin(String user) {
    return new Origin(Kind.ADMIN, user);
  }

  public static Origin identity(String id) {
    return new Origin(Kind.IDENTITY, id);
  }

  public static Origin rule(String label) {
    return new Origin(Kind.RULE, label);
  }

  public static Origin internalRule(String label) {
    return new Origin(Kind.INTERNAL_RULE, label);
  }

  /** Whether a failover rule gave the command ({@code Transition … from failover rule …}). */
  public boolean fromRule() {
    return kind == Kind.RULE || kind == Kind.INTERNAL_RULE;
  }

  public static Origin boot() {
    return new Origin(Kind.BOOT, "");
  }

  public static Origin automatic() {
    return new Origin(Kind.AUTOMATIC, "");
  }

  /** Whether this origin increments the maxloop counter (spec B.3). */
  public boolean countsForLoop() {
    return kind == Kind.IDENTITY || kind == Kind.RULE;
  }

  /** The log line, e.g. {@code Action stop called by root} (spec F.3, log index). */
  public String actionLine(String word) {
    return switch (kind) {
      case ADMIN, IDENTITY -> "Action " + word + " called by " + name;
      case RULE, INTERNAL_RULE -> "Action " + word + " from failover rule " + name;
      case BOOT -> "Action " + word + " called at boot time";
      case AUTOMATIC -> "Action " + word + " called automatically";
    };
  }
}
