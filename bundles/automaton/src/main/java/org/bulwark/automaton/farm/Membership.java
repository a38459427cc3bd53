package org.bulwark.automaton.farm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.bulwark.api.farm.FarmStatus;
import org.bulwark.api.farm.FarmView;
import org.bulwark.api.farm.GroupAllocation;
import org.bulwark.api.store.EventLevel;
import org.bulwark.automaton.Action;

/**
 * The farm membership protocol of one module on one node (spec D.2), as a pure step function: an
 * immutable state, {@link #step} gives the next one with the pulses to send, the log lines and
 * resources, and the new {@link FarmStatus} when the members changed. No I/O, no clock, no thread.
 *
 * <p><b>Protocol.</b> Every node that takes part sends a {@link Pulse} every {@code pulse} to every
 * other farm node on every farm lan; a peer is heard while its pulses arrive. The leader is the
 * lowest-named node heard that is not joining; it makes the view: itself and every node it has
 * heard within {@code slost_count} pulses (joining ones included), a new view with a higher id as
 * soon as that set changes, announced in its next pulse (sent at once). Followers install their
 * leader's latest view as it is, even one without themselves (an evicted node then owns nothing
 * rather than something twice); they give the leader up after {@code mlost_count} silent pulses and
 * the next lowest takes over (spec B.5: mlost 20, slost 10). A node that joins listens for {@link
 * FarmConfig#discovery} before it may lead, and is admitted by the running leader within a pulse or
 * two; a node that leaves says so and is dropped at once. Partitions: each side elects its own
 * leader and takes all 256 buckets (spec D.2); on healing the lowest leader's view takes everybody
 * in again.
 *
 * <pre>
 * role       event / condition                                      next       effect
 * OUT        Join                                                   JOINING    pulse now, incarnation + 1
 * JOINING    leader's pulse carries another view                    JOINING    install it
 * JOINING    discovery elapsed                                      FOLLOWER   may now lead
 * FOLLOWER   lowest candidate is self                               LEADER     new view, pulse now
 * LEADER     a lower candidate is heard                             FOLLOWER   keeps its view until
 *                                                                               the new leader's
 * FOLLOWER   leader's pulse carries another view                    FOLLOWER   install it
 * LEADER     a member silent slost pulses, left, or a new one heard LEADER     new view, pulse now
 * LEADER     a member's kernel refused our pulse (Refused)         LEADER     new view, pulse now
 * FOLLOWER   the leader's kernel refused our pulse (Refused)        (as the leader silent mlost
 *                                                                   pulses: the next lowest leads)
 * any but OUT Leave                                                 OUT        view NONE, 3 leave pulses
 * </pre>
 *
 * Candidates are self (unless joining) and the peers heard within their timeout ({@code mlost} ×
 * pulse for the leader one follows, {@code slost} × pulse for the others) whose last pulse says
 * FOLLOWER or LEADER. Pulses of an older incarnation, or not newer than the last one of their
 * sender, are dropped and counted (STYLE.md habit 4).
 *
 * <p><b>Two detections</b> (docs/farm.md). A peer that falls silent is lost after its timeout, as
 * the spec says. A peer whose <em>process</em> died while its machine runs is lost at once: its
 * kernel answers our next pulse with a refusal ({@link MembershipEvent.Refused}, ICMP port
 * unreachable), which every node that pulses it receives, so every survivor decides the loss by the
 * same rule, leader and followers alike, within a pulse and a round trip. A refused peer is not
 * heard until it pulses with a new incarnation (it restarted), or, with the same one, {@code mlost}
 * × pulse after the last refusal (a firewall that rejected and was lifted).
 */
public final class Membership {

  /** Pulses sent after {@link MembershipEvent.Leave}, in case some are lost. */
  static final int LEAVE_PULSES = 3;

  /** {@link Peer#refused} of a peer whose kernel has not refused us. */
  static final long NOT_REFUSED = Long.MIN_VALUE;

  /**
   * What this node last heard from a peer.
   *
   * @param refused when its kernel last refused our pulse, while that still stands ({@link
   *     #stillRefused}); {@link #NOT_REFUSED} otherwise
   */
  record Peer(long incarnation, long seq, long heard, Role role, FarmView view, long refused) {
    Peer refusedAt(long at) {
      return new Peer(incarnation, seq, heard, role, view, Math.max(refused, at));
    }
  }

  /**
   * Whether a refusal still stands when a pulse of the refused peer arrives at {@code heard}: a
   * pulse of a new incarnation ends it (the peer restarted); one of the same incarnation only
   * {@code mlost} × pulse after the last refusal — a pulse sent before the process died can arrive
   * after the refusal, and must not bring a dead peer back.
   */
  static boolean stillRefused(FarmConfig config, Peer old, Pulse p, long heard) {
    return old != null
        && old.refused != NOT_REFUSED
        && p.incarnation() == old.incarnation
        && heard - old.refused < config.leaderTimeout();
  }

  final FarmConfig config;
  final int self;
  final long incarnation;
  final long seq;
  final Role role;
  final long joinedAt;
  final long nextPulse;
  final int leavePulses;
  final Peer[] peers;
  final FarmView view;
  final long maxViewId;
  final long stale;
  final long refusals;
  final FarmStatus status;

  /** The time of the last step: deadlines not after it have been dealt with. */
  final long at;

  private Membership(Machine m) {
    this.config = m.config;
    this.self = m.self;
    this.incarnation = m.incarnation;
    this.seq = m.seq;
    this.role = m.role;
    this.joinedAt = m.joinedAt;
    this.nextPulse = m.nextPulse;
    this.leavePulses = m.leavePulses;
    this.peers = m.peers;
    this.view = m.view;
    this.maxViewId = m.maxViewId;
    this.stale = m.stale;
    this.refusals = m.refusals;
    this.status = m.status;
    this.at = m.now;
  }

  /**
   * A node that takes no part yet. {@code incarnation} must grow from one life of the module
   * runtime to the next (e.g. the wall clock in milliseconds at its start); every join adds one.
   */
  public static Membership initial(FarmConfig config, long incarnation) {
    Machine m = new Machine(config, incarnation);
    return new Membership(m);
  }

  /** One step: the new state, pulses, log lines and resources, and the change if any. */
  public static MembershipStep step(Membership state, long now, MembershipEvent event) {
    Machine m = new Machine(state, now);
    m.handle(event);
    return new MembershipStep(new Membership(m), m.pulses, m.actions, m.change);
  }

  public FarmConfig config() {
    return config;
  }

  public Role role() {
    return role;
  }

  public long incarnation() {
    return incarnation;
  }

  /** The installed view: {@link FarmView#NONE} while out or joining and not yet admitted. */
  public FarmView view() {
    return view;
  }

  /** The view and each group's allocation: what the filter programs. */
  public FarmStatus status() {
    return status;
  }

  /** Pulses dropped: another module, an unknown or own sender, an old incarnation or sequence. */
  public long staleDropped() {
    return stale;
  }

  /** Refusals that made a heard peer lost ({@link MembershipEvent.Refused}). */
  public long refusals() {
    return refusals;
  }

  /** The next time a {@link MembershipEvent.Tick} may change something; MAX_VALUE if none. */
  public long nextWakeup() {
    long t = Long.MAX_VALUE;
    if (role != Role.OUT || leavePulses > 0) {
      t = nextPulse;
    }
    if (role == Role.JOINING) {
      t = Math.min(t, joinedAt + config.discovery());
    }
    if (role != Role.OUT) {
      int viewLeader = config.index(view.leader());
      for (int i = 0; i < peers.length; i++) {
        Peer p = peers[i];
        if (i != self && p != null && p.role != Role.OUT) {
          long deadline = p.heard + timeout(config, i, viewLeader, role);
          if (deadline > at) {
            t = Math.min(t, deadline);
          }
        }
      }
    }
    return t;
  }

  /** {@code mlost} × pulse for the leader one follows, {@code slost} × pulse for the others. */
  static long timeout(FarmConfig config, int peer, int viewLeader, Role r) {
    boolean myLeader = r != Role.LEADER && peer == viewLeader;
    return myLeader ? config.leaderTimeout() : config.memberTimeout();
  }

  @Override
  public String toString() {
    return config.self() + " " + role + " " + view;
  }

  /** The mutable working copy of one step. */
  private static final class Machine {
    final FarmConfig config;
    final int self;
    long incarnation;
    long seq;
    Role role = Role.OUT;
    long joinedAt;
    long nextPulse;
    int leavePulses;
    Peer[] peers;
    boolean peersCopied;
    FarmView view = FarmView.NONE;
    int viewLeader = -1;
    long maxViewId;
    long stale;
    long refusals;
    FarmStatus status;
    final long now;
    final List<Pulse> pulses = new ArrayList<>();
    final List<Action> actions = new ArrayList<>();
    Optional<FarmStatus> change = Optional.empty();

    Machine(FarmConfig config, long incarnation) {
      this.config = config;
      this.self = config.index(config.self());
      this.incarnation = incarnation;
      this.peers = new Peer[config.nodes().size()];
      this.status = statusOf(FarmView.NONE);
      this.now = 0;
    }

    Machine(Membership s, long now) {
      this.config = s.config;
      this.self = s.self;
      this.incarnation = s.incarnation;
      this.seq = s.seq;
      this.role = s.role;
      this.joinedAt = s.joinedAt;
      this.nextPulse = s.nextPulse;
      this.leavePulses = s.leavePulses;
      this.peers = s.peers;
      this.view = s.view;
      this.viewLeader = config.index(view.leader());
      this.maxViewId = s.maxViewId;
      this.stale = s.stale;
      this.refusals = s.refusals;
      this.status = s.status;
      this.now = now;
    }

    void handle(MembershipEvent e) {
      if (e instanceof MembershipEvent.Join) {
        join();
      } else if (e instanceof MembershipEvent.Leave) {
        leave();
      } else if (e instanceof MembershipEvent.Tick) {
        evaluate();
        pulseIfDue();
      } else if (e instanceof MembershipEvent.Received r
          && receive(r.pulse(), Math.min(r.arrived(), now))) {
        evaluate();
      } else if (e instanceof MembershipEvent.Refused r
          && refuse(r.lan(), r.node(), Math.min(r.at(), now))) {
        evaluate();
      }
    }

    private void join() {
      if (role != Role.OUT) {
        return;
      }
      incarnation++;
      seq = 0;
      role = Role.JOINING;
      joinedAt = now;
      nextPulse = now;
      leavePulses = 0;
      evaluate();
      pulseIfDue();
    }

    private void leave() {
      if (role == Role.OUT) {
        return;
      }
      role = Role.OUT;
      install(FarmView.NONE);
      leavePulses = LEAVE_PULSES;
      nextPulse = now;
      pulseIfDue();
    }

    private void pulseIfDue() {
      if ((role != Role.OUT || leavePulses > 0) && now >= nextPulse) {
        seq++;
        pulses.add(new Pulse(config.module(), config.self(), incarnation, seq, role, view));
        nextPulse = now + config.pulseMillis();
        if (role == Role.OUT) {
          leavePulses--;
        }
      }
    }

    /** Records a pulse heard at {@code heard}; false when it is dropped. */
    private boolean receive(Pulse p, long heard) {
      int i = config.index(p.node());
      if (!p.module().equals(config.module()) || i < 0 || i == self) {
        stale++;
        return false;
      }
      Peer old = peers[i];
      if (old != null
          && (p.incarnation() < old.incarnation
              || (p.incarnation() == old.incarnation && p.seq() <= old.seq))) {
        stale++;
        return false;
      }
      if (!peersCopied) {
        peers = peers.clone();
        peersCopied = true;
      }
      long refused = stillRefused(config, old, p, heard) ? old.refused : NOT_REFUSED;
      peers[i] = new Peer(p.incarnation(), p.seq(), heard, p.role(), p.view(), refused);
      maxViewId = Math.max(maxViewId, p.view().id());
      return true;
    }

    /**
     * The kernel of {@code node} refused our pulse at {@code at}: its process is gone. True when
     * that makes a peer we heard lost. Only a member's refusal counts — a joining peer may have
     * come back since (the refusal answering a pulse that reached it before it bound its socket),
     * and a peer heard at or after {@code at} is back, or the refusal is older than its last sign
     * of life.
     */
    private boolean refuse(String lan, String node, long at) {
      int i = config.index(node);
      if (role == Role.OUT || i < 0 || i == self) {
        return false;
      }
      Peer p = peers[i];
      if (p == null
          || (p.role != Role.FOLLOWER && p.role != Role.LEADER)
          || p.heard >= at
          || at <= p.refused) {
        return false;
      }
      boolean wasAlive = alive(i);
      if (!peersCopied) {
        peers = peers.clone();
        peersCopied = true;
      }
      peers[i] = p.refusedAt(at);
      if (!wasAlive) {
        return false; // already lost by silence: the refusal only keeps its late pulses out
      }
      refusals++;
      actions.add(
          new Action.Log(
              EventLevel.D,
              "vipd",
              "Farm node " + node + " refused our pulse on lan " + lan + ": its process is gone"));
      return true;
    }

    private boolean alive(int i) {
      Peer p = peers[i];
      return i != self
          && p != null
          && p.role != Role.OUT
          && p.refused == NOT_REFUSED
          && now - p.heard < timeout(config, i, viewLeader, role);
    }

    private boolean candidate(int i) {
      return alive(i) && (peers[i].role == Role.FOLLOWER || peers[i].role == Role.LEADER);
    }

    private void evaluate() {
      if (role == Role.OUT) {
        return;
      }
      if (role == Role.JOINING && now - joinedAt >= config.discovery()) {
        role = Role.FOLLOWER;
      }
      int leader = role == Role.JOINING ? Integer.MAX_VALUE : self;
      for (int i = 0; i < peers.length; i++) {
        if (i < leader && candidate(i)) {
          leader = i;
        }
      }
      if (leader == Integer.MAX_VALUE) {
        return; // joining, nobody to follow yet
      }
      if (leader == self) {
        lead();
      } else {
        follow(leader);
      }
    }

    private void lead() {
      role = Role.LEADER;
      if (view.leader().equals(config.self()) && sameAsView()) {
        return;
      }
      TreeMap<String, Long> members = new TreeMap<>();
      members.put(config.self(), incarnation);
      for (int i = 0; i < peers.length; i++) {
        if (alive(i)) {
          members.put(config.nodes().get(i), peers[i].incarnation);
        }
      }
      if (view.leader().equals(config.self()) && view.members().equals(members)) {
        return;
      }
      for (String old : view.members().keySet()) {
        int i = config.index(old);
        if (i != self
            && !members.containsKey(old)
            && peers[i] != null
            && peers[i].role != Role.OUT) {
          actions.add(new Action.Log(EventLevel.D, "vipd", "Lost contact from " + old));
        }
      }
      install(new FarmView(Math.max(maxViewId, view.id()) + 1, config.self(), members));
      nextPulse = now; // announce it now
      pulseIfDue();
    }

    private void follow(int leader) {
      if (role == Role.LEADER) {
        role = Role.FOLLOWER;
      }
      Peer l = peers[leader];
      // (id, leader) names a view's content: a leader never reuses an id, and one that restarts
      // has heard ids above the views it could repeat before it may lead again
      if (l.role == Role.LEADER
          && l.view.leader().equals(config.nodes().get(leader))
          && (l.view.id() != view.id() || !l.view.leader().equals(view.leader()))) {
        install(l.view);
      }
    }

    /** The nodes heard now, with their incarnations, are the members of the view. */
    private boolean sameAsView() {
      int count = 1;
      if (!Long.valueOf(incarnation).equals(view.members().get(config.self()))) {
        return false;
      }
      for (int i = 0; i < peers.length; i++) {
        if (alive(i)) {
          count++;
          if (!Long.valueOf(peers[i].incarnation)
              .equals(view.members().get(config.nodes().get(i)))) {
            return false;
          }
        }
      }
      return count == view.members().size();
    }

    private void install(FarmView v) {
      FarmView old = view;
      view = v;
      viewLeader = config.index(v.leader());
      maxViewId = Math.max(maxViewId, v.id());
      if (old.members().keySet().equals(v.members().keySet())) {
        status = new FarmStatus(config.module(), config.self(), v, status.groups());
        return;
      }
      FarmStatus previous = status;
      status = statusOf(v);
      change = Optional.of(status);
      report(previous, status);
    }

    FarmStatus statusOf(FarmView v) {
      List<GroupAllocation> groups = new ArrayList<>();
      for (FarmGroup g : config.groups()) {
        String[] owners = g.table().owners(v.members().keySet());
        groups.add(
            new GroupAllocation(
                g.name(),
                g.resource(),
                List.copyOf(g.membersOf(v.members().keySet())),
                List.of(owners)));
      }
      return new FarmStatus(config.module(), config.self(), v, groups);
    }

    /** {@code farm membership: …} and {@code farm load: N/256 (group …)} (spec D.1, seeds). */
    private void report(FarmStatus from, FarmStatus to) {
      for (int g = 0; g < to.groups().size(); g++) {
        GroupAllocation a = from.groups().get(g);
        GroupAllocation b = to.groups().get(g);
        String group = " (group " + b.resource() + ")";
        if (!to.view().isEmpty() && !a.members().equals(b.members())) {
          actions.add(
              new Action.Log(
                  EventLevel.E,
                  "vipd",
                  "farm membership: " + String.join(" ", b.members()) + group));
        }
        int load = b.load(config.self());
        if (load != a.load(config.self()) || from.view().isEmpty()) {
          actions.add(new Action.Log(EventLevel.E, "vipd", "farm load: " + load + "/256" + group));
          actions.add(new Action.SetResource(b.resource(), b.share(config.self()), "vipd"));
        }
      }
    }
  }
}
