package org.bulwark.automaton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bulwark.api.module.ModuleState;
import org.bulwark.failover.Decision;
import org.bulwark.failover.FailoverAction;
import org.bulwark.failover.FailoverMachine;
import org.bulwark.failover.FailoverRules;
import org.bulwark.failover.ResourceSnapshot;
import org.bulwark.failover.RuleSet;

/**
 * What the module runtime does between the failover machine and a mirror automaton
 * (docs/failover.md "Wiring"), for the golden tests and the simulation: the resource table fed by
 * the automaton's {@code SetResource} actions, {@code state.local} and {@code state.remote}, the
 * snapshot each evaluation reads, and the decisions turned into events for the automaton — a
 * command from the rule, or for a resource the automaton keeps ({@link
 * MirrorDriver#KEPT_BY_AUTOMATON}) a {@link Event.ResourceSet} it takes or not.
 */
public final class RulesHarness {

  private final FailoverMachine machine;
  private final Map<String, String> table = new HashMap<>();

  public RulesHarness(RuleSet rules) {
    this.machine = new FailoverMachine(rules);
  }

  /**
   * The internal rules of a replicated mirror with this policy, the machine's own, and the given
   * checker wait rules ({@code label=resource}).
   */
  public static FailoverRules rules(ReplicationPolicy p, long periodMillis, long handleMillis) {
    return FailoverRules.mirror()
        .replication(true, p.syncdelta(), p.syncat().isPresent())
        .timing(Duration.ofMillis(periodMillis), Duration.ofMillis(handleMillis));
  }

  public FailoverMachine machine() {
    return machine;
  }

  /** The local resources as the automaton set them. */
  public Map<String, String> table() {
    return table;
  }

  /** Records the resources the automaton set. */
  public void seen(List<Action> actions) {
    for (Action a : actions) {
      if (a instanceof Action.SetResource r) {
        table.put(r.name(), r.value());
      }
    }
  }

  /** Sets a resource as a checker or {@code safekit set} would. */
  public void set(String name, String value) {
    table.put(name, value);
  }

  /**
   * What the rules read: the table, the states, the peer's resources ({@code remote}) while it is
   * heard from, and {@code cluster()} down when no lan carries its heartbeat.
   */
  public ResourceSnapshot snapshot(MirrorState s, Map<String, String> remote) {
    Map<String, String> local = new HashMap<>(table);
    local.put("state.local", s.local().state().name());
    PeerView p = s.peer();
    local.put("state.remote", p.remoteLabel().state().name());
    boolean lans = local.keySet().stream().anyMatch(k -> k.startsWith("heartbeat."));
    if (!lans && p.presence() != PeerView.Presence.UNKNOWN) {
      local.put("heartbeat.0", p.present() ? "up" : "down"); // an automaton driven without lans
    }
    String cluster = p.absent() && "no heartbeat".equals(p.reason()) ? "down" : "up";
    return new ResourceSnapshot(local, p.present() ? remote : Map.of(), p.present(), cluster);
  }

  /**
   * One evaluation ({@code tick}: only when a period passed) turned into the events the runtime
   * would give the automaton. Nothing while STOP, and the machine forgets what it knew there.
   */
  public List<Decided> decide(MirrorState s, Map<String, String> remote, long now, boolean tick) {
    if (s.local().state() == ModuleState.STOP) {
      machine.reset();
      return List.of();
    }
    ResourceSnapshot snap = snapshot(s, remote);
    List<Decision> ds = tick ? machine.tick(snap, now) : machine.evaluate(snap, now);
    List<Decided> out = new ArrayList<>();
    for (Decision d : ds) {
      if (d.action() == FailoverAction.SET_RESOURCE) {
        if (MirrorDriver.KEPT_BY_AUTOMATON.contains(d.resource())) {
          out.add(
              new Decided(
                  d, new Event.ResourceSet(d.resource(), d.value(), "failover rule " + d.rule())));
        } else {
          table.put(d.resource(), d.value());
          if (MirrorDriver.READ_BY_AUTOMATON.contains(d.resource())) {
            out.add(
                new Decided(
                    d,
                    new Event.ResourceSet(d.resource(), d.value(), "failover rule " + d.rule())));
          }
        }
        continue;
      }
      Origin o = d.internal() ? Origin.internalRule(d.rule()) : Origin.rule(d.rule());
      out.add(new Decided(d, new Event.Command(verb(d.action()), o, "")));
    }
    return out;
  }

  /** A decision and the event it gives the automaton. */
  public record Decided(Decision decision, Event event) {}

  /** The peer's resources as its heartbeats would carry them, from its view. */
  public static Map<String, String> remoteOf(PeerView p) {
    Map<String, String> r = new HashMap<>();
    r.put("rfs.uptodate", p.data().uptodate() ? "up" : "down");
    r.put("state.local", p.state().state().name());
    return r;
  }

  static Verb verb(FailoverAction a) {
    return switch (a) {
      case STOP -> Verb.STOP;
      case WAIT -> Verb.WAIT;
      case STOPSTART -> Verb.STOPSTART;
      case RESTART -> Verb.RESTART;
      case SWAP -> Verb.SWAP;
      case WAKEUP -> Verb.WAKEUP;
      case SET_RESOURCE -> throw new IllegalArgumentException("an assignment is not a command");
    };
  }
}
