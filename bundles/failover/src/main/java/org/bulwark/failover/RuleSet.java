package org.bulwark.failover;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.bulwark.failover.internal.Rule;

/**
 * A module's compiled failover rules, in evaluation order (predefined, internal, generated, then
 * the administrator's), with the machine's timing (spec B.19 {@code period}, {@code handle_time}).
 * Immutable; built by {@link FailoverRules}.
 */
public final class RuleSet {

  private final List<Rule> rules;
  private final Duration period;
  private final Duration handleTime;

  RuleSet(List<Rule> rules, Duration period, Duration handleTime) {
    this.rules = List.copyOf(rules);
    this.period = Objects.requireNonNull(period, "period");
    this.handleTime = Objects.requireNonNull(handleTime, "handleTime");
  }

  /** The labels of the rules, in evaluation order. */
  public List<String> labels() {
    return rules.stream().map(Rule::label).toList();
  }

  /** Whether a rule of this label is in the set. */
  public boolean has(String label) {
    return rules.stream().anyMatch(r -> r.label().equals(label));
  }

  /** Where a rule was written, {@code file:line:column}, or empty. */
  public String where(String label) {
    return rules.stream()
        .filter(r -> r.label().equals(label))
        .map(Rule::where)
        .findFirst()
        .orElse("");
  }

  /** Time between two evaluations (default 5 s). */
  public Duration period() {
    return period;
  }

  /** How long a rule must hold before its action is applied (default 15 s). */
  public Duration handleTime() {
    return handleTime;
  }

  List<Rule> rules() {
    return rules;
  }
}
