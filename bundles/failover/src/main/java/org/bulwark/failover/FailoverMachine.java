package org.bulwark.failover;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bulwark.failover.internal.Evaluator;
import org.bulwark.failover.internal.Expr;
import org.bulwark.failover.internal.Rule;

/**
 * The failover machine of one module (spec B.19): every {@code period} it evaluates all rules over
 * the resources, and applies the action of a rule once its condition has held for {@code
 * handle_time}. Driven by ticks: time is an argument, never read; one owner (the module's event
 * loop) calls it.
 *
 * <p>What it decides at one evaluation:
 *
 * <ol>
 *   <li>every resource assignment whose rule is stable and whose resource does not have the value
 *       yet ({@code rfs_forceuptodate});
 *   <li>else at most one module action: of the stable rules, the heaviest action ({@link
 *       FailoverAction#weight()}), the first rule in order among equals.
 * </ol>
 *
 * A rule that fired is re-armed: if its condition still holds {@code handle_time} later it fires
 * again, so that a resource that stays down after a restart restarts again until maxloop stops the
 * module (spec B.3, B.11). A wait is different: while its rule holds it is decided again at each
 * evaluation, marked {@link Decision#repeat()}, and the runtime only acknowledges it; once no wait
 * rule holds for {@code handle_time}, rule {@code Implicit_wakeup} decides {@code wakeup}.
 */
public final class FailoverMachine {

  private final RuleSet rules;
  private final long periodMillis;
  private final long handleMillis;

  /** Since when each rule's condition has held without a break (label → time). */
  private final Map<String, Long> since = new HashMap<>();

  private String waitInForce;
  private long nextEvaluation = Long.MIN_VALUE;

  /** The assignments decided at the last evaluation (labels). */
  private Set<String> assignedBefore = Set.of();

  public FailoverMachine(RuleSet rules) {
    this.rules = rules;
    this.periodMillis = rules.period().toMillis();
    this.handleMillis = rules.handleTime().toMillis();
  }

  public RuleSet rules() {
    return rules;
  }

  /**
   * A tick of the module's loop: evaluates when a period has passed since the last evaluation, else
   * decides nothing.
   */
  public List<Decision> tick(ResourceSnapshot snapshot, long nowMillis) {
    if (nowMillis < nextEvaluation) {
      return List.of();
    }
    nextEvaluation = nowMillis + periodMillis;
    return evaluate(snapshot, nowMillis);
  }

  /** One evaluation of every rule at {@code nowMillis}, whatever the period. */
  public List<Decision> evaluate(ResourceSnapshot snapshot, long nowMillis) {
    Map<Rule, Boolean> holds = conditions(snapshot);
    List<Rule> stable = new ArrayList<>();
    for (Rule r : rules.rules()) {
      if (!holds.get(r)) {
        since.remove(r.label());
        continue;
      }
      long from = since.computeIfAbsent(r.label(), l -> nowMillis);
      if (nowMillis - from >= holdMillis(r)) {
        stable.add(r);
      }
    }
    List<Decision> out = new ArrayList<>();
    Rule command = null;
    for (Rule r : stable) {
      if (r.action() == FailoverAction.SET_RESOURCE) {
        if (!snapshot.value(false, r.target()).map(r.value()::equals).orElse(false)) {
          out.add(Decision.set(r.label(), r.target(), r.value()).asInternal());
          since.put(r.label(), nowMillis);
        }
      } else if (r.action() == FailoverAction.WAKEUP && waitInForce == null) {
        continue; // nothing to wake up
      } else if (command == null || r.action().weight() > command.action().weight()) {
        command = r;
      }
    }
    // An assignment changes what the rules read: module actions wait for the next evaluation,
    // which sees the new value (rfs_forceuptodate lifts the reason of notuptodate_server's wait).
    // Once only: an assignment decided again was not taken (the automaton keeps rfs.uptodate and
    // may refuse it), and must not hold the module's actions back while its rule holds.
    Set<String> assignedNow = new java.util.HashSet<>();
    out.forEach(d -> assignedNow.add(d.rule()));
    boolean fresh = !assignedBefore.containsAll(assignedNow);
    assignedBefore = Set.copyOf(assignedNow);
    if (command != null && (out.isEmpty() || !fresh)) {
      Decision d = apply(command, nowMillis);
      out.add(command.origin() == Rule.Origin.INTERNAL ? d.asInternal() : d);
    }
    return List.copyOf(out);
  }

  /**
   * How long a rule must hold before it acts: {@code handle_time}, but for the internal rules of
   * replication ({@code notuptodate_server}, {@code degraded_server}, {@code rfs_forceuptodate},
   * {@code rfs_syncat_wait}), which act at the first evaluation that finds them true. They read
   * what the module itself keeps (its data freshness, its peer's, its schedule), not a sampled
   * checker that may flap, and the automaton holds its role decision until they answered: a
   * handle_time there would only keep a node in WAIT Transient for 15 s more. {@code
   * Implicit_wakeup} keeps handle_time: a wait is lifted once no wait rule held for that long.
   */
  private long holdMillis(Rule r) {
    boolean replicationRule =
        r.origin() == Rule.Origin.INTERNAL && r.action() != FailoverAction.WAKEUP;
    return replicationRule ? 0 : handleMillis;
  }

  private Decision apply(Rule r, long nowMillis) {
    switch (r.action()) {
      case WAIT:
        boolean repeat = waitInForce != null;
        if (!repeat) {
          waitInForce = r.label();
        }
        return Decision.command(r.label(), FailoverAction.WAIT, repeat);
      case WAKEUP:
        waitInForce = null;
        since.remove(r.label());
        return Decision.command(r.label(), FailoverAction.WAKEUP, false);
      default:
        since.put(r.label(), nowMillis);
        return Decision.command(r.label(), r.action(), false);
    }
  }

  /** The condition of every rule now; wait rules first, for {@code wait_rules()}. */
  private Map<Rule, Boolean> conditions(ResourceSnapshot snapshot) {
    Map<Rule, Boolean> holds = new HashMap<>();
    Evaluator plain = new Evaluator(snapshot, false);
    boolean anyWait = false;
    for (Rule r : rules.rules()) {
      if (r.action() == FailoverAction.WAIT) {
        boolean h = plain.holds(r.condition());
        holds.put(r, h);
        anyWait |= h;
      }
    }
    Evaluator full = new Evaluator(snapshot, anyWait);
    for (Rule r : rules.rules()) {
      holds.computeIfAbsent(r, x -> full.holds(x.condition()));
    }
    return holds;
  }

  /**
   * The module stopped, or started afresh: forget how long conditions held and the wait in force
   * (the automaton's block went with the stop).
   */
  public void reset() {
    since.clear();
    waitInForce = null;
    assignedBefore = Set.of();
    nextEvaluation = Long.MIN_VALUE;
  }

  /** The label of the rule whose wait blocks the module now, if any. */
  public Optional<String> waitInForce() {
    return Optional.ofNullable(waitInForce);
  }

  /**
   * Local resources read by a wait rule that are still {@code init}: while there is one the module
   * stays WAIT Transient (spec B.11), its checker has not answered yet.
   */
  public List<String> pendingInit(ResourceSnapshot snapshot) {
    Set<String> out = new LinkedHashSet<>();
    for (Rule r : rules.rules()) {
      if (r.action() != FailoverAction.WAIT) {
        continue;
      }
      List<Expr.Ref> refs = new ArrayList<>();
      Evaluator.refs(r.condition(), refs);
      for (Expr.Ref ref : refs) {
        if (ref.remote()) {
          continue;
        }
        List<String> names =
            ref.wildcard() ? snapshot.names(ref.resourceClass()) : List.of(ref.name());
        for (String n : names) {
          if (snapshot.value(false, n).map("init"::equals).orElse(false)) {
            out.add(n);
          }
        }
      }
    }
    return List.copyOf(out);
  }
}
