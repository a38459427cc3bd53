package org.bulwark.checker.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.checker.Watch;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;

/**
 * The checks of one module as a pure state machine driven by the time it is given (DESIGN: time is
 * an input): which checks run in the current phases, when each is due, the hysteresis of its
 * results and the resource changes they make. No threads, no clock: the executor asks {@link #due},
 * runs the probes, and feeds their results to {@link #completed}.
 *
 * <p>A check runs while its phase is active (spec B.11, B.10 class), its switch is on ({@code
 * checker on|off} or {@code errd on|off}, spec F.3) and, for an errd user class, {@code errd
 * enable} was given. A check that stops keeps its resource's value; when it starts again its first
 * test is {@code firstDelay} later and its hysteresis counters start from zero. A result that comes
 * back after its check stopped (or restarted) is dropped: each start is a new generation.
 */
final class CheckSchedule {

  /** One test to run now; hand it back to {@link #completed} with its result. */
  record Run(int slot, long generation, Watch check) {}

  /** A supervised program to start ({@code start}) or stop, identified by its slot. */
  record Supervision(int slot, boolean start, Watch watch) {}

  /**
   * A resource whose value changes, with the errd action to carry out when it went down; or, when
   * {@code restarted}, a resource that stays up although its target was restarted since the last
   * test (its incarnation changed, spec B.17), with the recovery reaction to carry out.
   */
  record Change(
      String resource,
      String value,
      String by,
      Optional<Watch.Reaction> reaction,
      boolean restarted) {
    Change(String resource, String value, String by, Optional<Watch.Reaction> reaction) {
      this(resource, value, by, reaction, false);
    }
  }

  private static final class Slot {
    final Watch check;
    final Object owner;
    boolean retired;
    boolean running;
    boolean inFlight;
    long generation;
    long nextDue;
    int failures;
    int passes;
    String value = Watch.INIT;
    // the target's incarnation at its last passed test of this run of the check, if it names one
    String incarnation;

    Slot(Watch check, Object owner) {
      this.check = check;
      this.owner = owner;
    }
  }

  private final List<Slot> slots = new ArrayList<>();
  private final List<Supervision> supervisions = new ArrayList<>();
  private Set<String> phases = Set.of();
  // the module runs Ready in a role (not WAIT, not in transition): a recovery reaction applies
  private boolean runningReady;
  private final Set<String> enabledClasses = new HashSet<>();
  private boolean checkerOn = true;
  private boolean errdOn = true;

  CheckSchedule(List<Watch> checks) {
    checks.forEach(c -> slots.add(new Slot(c, null)));
  }

  /** The watches of a provider that came after the module was opened; they start if they may. */
  void add(Object owner, List<Watch> watches, long now) {
    watches.forEach(w -> slots.add(new Slot(w, owner)));
    refresh(now);
  }

  /** The watches of a provider that went: they stop for good (their slots stay, unused). */
  void retire(Object owner, long now) {
    for (Slot s : slots) {
      if (s.owner != null && s.owner.equals(owner)) {
        s.retired = true;
      }
    }
    refresh(now);
  }

  /**
   * The built-in phases a local state runs (spec B.11): none in STOP; {@code pre} from WAIT on;
   * {@code prim} in ALONE or PRIM Ready (after start_prim, before stop_prim), {@code second} in
   * SECOND Ready, {@code both} in UP Ready. A transient state (scripts running) runs only {@code
   * pre}.
   */
  static Set<String> phasesOf(LocalState state) {
    if (state.state() == ModuleState.STOP || state.state() == ModuleState.UNKNOWN) {
      return Set.of();
    }
    if (state.readiness() != Readiness.READY) {
      return Set.of(Watch.PRE);
    }
    return switch (state.state()) {
      case ALONE, PRIM -> Set.of(Watch.PRE, Watch.PRIM);
      case SECOND -> Set.of(Watch.PRE, Watch.SECOND);
      case UP -> Set.of(Watch.PRE, Watch.BOTH);
      default -> Set.of(Watch.PRE);
    };
  }

  /** The module is now in {@code state}. */
  void state(LocalState state, long now) {
    phases = phasesOf(state);
    runningReady =
        state.readiness() == Readiness.READY
            && state.state() != ModuleState.WAIT
            && state.state() != ModuleState.STOP;
    refresh(now);
  }

  /** {@code usersetting.checker} (all but errd) and {@code usersetting.errd} (spec F.3). */
  void switches(boolean checkerOn, boolean errdOn, long now) {
    this.checkerOn = checkerOn;
    this.errdOn = errdOn;
    refresh(now);
  }

  /** {@code safekit errd enable|disable <class>}; false when no check has that class. */
  boolean enable(String phase, boolean on, long now) {
    String p = phase.equals("sec") ? Watch.SECOND : phase;
    if (slots.stream().noneMatch(s -> !s.retired && s.check.phase().equals(p))) {
      return false;
    }
    if (on) {
      enabledClasses.add(p);
    } else {
      enabledClasses.remove(p);
    }
    refresh(now);
    return true;
  }

  private boolean shouldRun(Slot s) {
    Watch c = s.check;
    if (s.retired || !(c.errd() ? errdOn : checkerOn)) {
      return false;
    }
    if (enabledClasses.contains(c.phase())) {
      // an explicit enable: a user class at once, a built-in one within the module's run
      return c.builtInPhase() ? phases.contains(c.phase()) : true;
    }
    return phases.contains(c.phase());
  }

  private void refresh(long now) {
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      boolean run = shouldRun(s);
      if (run != s.running && s.check.supervised().isPresent()) {
        supervisions.add(new Supervision(i, run, s.check));
      }
      if (run && !s.running) {
        s.running = true;
        s.generation++;
        s.inFlight = false;
        s.failures = 0;
        s.passes = 0;
        s.incarnation = null;
        s.nextDue = now + s.check.firstDelay().toMillis();
      } else if (!run && s.running) {
        s.running = false;
        s.generation++;
        s.inFlight = false;
      }
    }
  }

  /** The tests due at {@code now}; each is in flight until its result comes back. */
  List<Run> due(long now) {
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < slots.size(); i++) {
      Slot s = slots.get(i);
      if (s.running && !s.inFlight && s.nextDue <= now && s.check.supervised().isEmpty()) {
        s.inFlight = true;
        runs.add(new Run(i, s.generation, s.check));
      }
    }
    return runs;
  }

  /**
   * The result of a run at {@code now}: the next test is one interval later; the resource changes
   * after {@code downAfter} consecutive failures or {@code upAfter} consecutive passes. Empty when
   * nothing changes or the run is stale.
   */
  Optional<Change> completed(Run run, ProbeResult result, long now) {
    Slot s = slots.get(run.slot());
    if (!s.running || s.generation != run.generation()) {
      return Optional.empty();
    }
    s.inFlight = false;
    s.nextDue = now + s.check.interval().toMillis();
    String before = s.incarnation;
    if (result.up()) {
      s.incarnation = result.incarnation().orElse(before);
    }
    String value;
    if (result.up()) {
      s.failures = 0;
      s.passes++;
      value = s.passes >= s.check.upAfter() ? Watch.UP : s.value;
    } else {
      s.passes = 0;
      s.failures++;
      value = s.failures >= s.check.downAfter() ? Watch.DOWN : s.value;
    }
    if (value.equals(s.value)) {
      // up and up again, but the target names another run: it was restarted in between
      boolean restarted =
          value.equals(Watch.UP)
              && before != null
              && s.incarnation != null
              && !before.equals(s.incarnation);
      if (!restarted) {
        return Optional.empty();
      }
      Optional<Watch.Reaction> act =
          s.check.reaction().filter(r -> r.on() == Watch.Reaction.On.RECOVERY && runningReady);
      return Optional.of(new Change(s.check.resource(), value, s.check.by(), act, true));
    }
    boolean recovered = value.equals(Watch.UP) && s.value.equals(Watch.DOWN);
    s.value = value;
    Optional<Watch.Reaction> act =
        s.check
            .reaction()
            .filter(
                r ->
                    r.on() == Watch.Reaction.On.DOWN
                        ? value.equals(Watch.DOWN)
                        : recovered && runningReady);
    return Optional.of(new Change(s.check.resource(), value, s.check.by(), act));
  }

  /**
   * The supervised programs to start or stop since the last call, in order: the phase of a
   * long-running checker (spec B.16) began or ended.
   */
  List<Supervision> supervisions() {
    List<Supervision> out = List.copyOf(supervisions);
    supervisions.clear();
    return out;
  }

  /** When {@link #due} has something next; {@link Long#MAX_VALUE} when nothing runs. */
  long nextWakeup() {
    long next = Long.MAX_VALUE;
    for (Slot s : slots) {
      if (s.running && !s.inFlight && s.check.supervised().isEmpty()) {
        next = Math.min(next, s.nextDue);
      }
    }
    return next;
  }

  /** One line per check for {@code safekit errd list} and friends. */
  List<String> list() {
    List<String> lines = new ArrayList<>();
    for (Slot s : slots) {
      if (s.retired) {
        continue;
      }
      lines.add(
          s.check.resource()
              + " class="
              + s.check.phase()
              + " "
              + (s.running ? "running" : "stopped")
              + " "
              + s.value);
    }
    return lines;
  }
}
