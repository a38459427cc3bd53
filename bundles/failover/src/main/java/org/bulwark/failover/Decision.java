package org.bulwark.failover;

import java.util.Objects;

/**
 * What the failover machine decided in one evaluation: apply {@code action} on behalf of rule
 * {@code rule} (the identity given with {@code -i}, spec B.19).
 *
 * @param rule the label of the rule, e.g. {@code module_failure}, {@code t_service}
 * @param action the action
 * @param resource for {@link FailoverAction#SET_RESOURCE}: the resource to set, else empty
 * @param value for {@link FailoverAction#SET_RESOURCE}: its new value, else empty
 * @param repeat true when a wait was already decided and a wait rule still holds: a runtime still
 *     blocked only acknowledges it (logging or counting it again would stop the module by maxloop
 *     for one resource that stays down); one that is not blocked any more (restarted by an
 *     administrator meanwhile) applies it as new — its own state decides
 * @param internal true when an internal rule decided it ({@code notuptodate_server}, {@code
 *     rfs_syncat_wait} …): not an error, so maxloop does not count it (a daily syncat would stop
 *     the module on its third day)
 */
public record Decision(
    String rule,
    FailoverAction action,
    String resource,
    String value,
    boolean repeat,
    boolean internal) {

  /** The rule label of the implicit wakeup (spec B.19). */
  public static final String IMPLICIT_WAKEUP = "Implicit_wakeup";

  public Decision {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(action, "action");
    resource = resource == null ? "" : resource;
    value = value == null ? "" : value;
  }

  /** A module command decided by a default, generated or user rule. */
  public static Decision command(String rule, FailoverAction action, boolean repeat) {
    return new Decision(rule, action, "", "", repeat, false);
  }

  /** A resource assignment decided by a rule. */
  public static Decision set(String rule, String resource, String value) {
    return new Decision(rule, FailoverAction.SET_RESOURCE, resource, value, false, false);
  }

  /** The same decision, from an internal rule. */
  public Decision asInternal() {
    return new Decision(rule, action, resource, value, repeat, true);
  }

  /**
   * Whether the module's maxloop counter counts it when applied (spec B.3): a command given with
   * the rule's identity, unless an internal rule gave it. A repeated wait that the runtime only
   * acknowledges is not applied, hence not counted.
   */
  public boolean countsForLoop() {
    return action.countsForLoop() && !internal;
  }

  /**
   * The module log line when the action is applied, in the guide's wording (log index, spec B.19):
   * {@code Action wait from failover rule p_router}, {@code Action wakeup from failover rule
   * Implicit_wakeup}, {@code Resource rfs.uptodate set to up by failover rule rfs_forceuptodate}.
   */
  public String logLine() {
    if (action == FailoverAction.SET_RESOURCE) {
      return "Resource " + resource + " set to " + value + " by failover rule " + rule;
    }
    return "Action " + action.word() + " from failover rule " + rule;
  }

  /**
   * The line the automaton logs when the action starts a transition (log index): {@code Transition
   * WAIT_TR from failover rule interface_failure}, {@code Transition RESTART|STOPSTART from
   * failover rule customid_failure}; empty for actions that name no transition.
   */
  public String transitionLine() {
    return switch (action) {
      case WAIT -> "Transition WAIT_TR from failover rule " + rule;
      case RESTART -> "Transition RESTART from failover rule " + rule;
      case STOPSTART -> "Transition STOPSTART from failover rule " + rule;
      default -> "";
    };
  }

  @Override
  public String toString() {
    return action == FailoverAction.SET_RESOURCE
        ? rule + ": " + resource + "=" + value
        : rule + ": " + action.word() + "()" + (repeat ? " (repeat)" : "");
  }
}
