package org.bulwark.automaton.farm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.api.farm.FarmStatus;
import org.bulwark.api.farm.FarmView;
import org.bulwark.api.farm.GroupAllocation;

/**
 * A deterministic simulation of one farm module on N nodes: the real {@link Membership} on a manual
 * clock and a simulated network (per-lan loss, delay and so reordering, duplicates across lans,
 * partitions), with joins, leaves, crashes and restarts. A crash is silent (the machine or its
 * cable gone: {@link #crash}) or a kill of the process alone ({@link #kill}), after which the
 * node's kernel refuses every pulse that reaches it: the sender gets a {@link
 * MembershipEvent.Refused} back a delivery delay later, lost like a pulse. Everything random comes
 * from one seed, so a failing seed replays exactly.
 *
 * <p>Invariant (checked every {@link #CHECK_EVERY} ms once nothing has disturbed the farm for
 * {@link #convergence()}): in every connected component, the nodes taking part all hold the same
 * view, its members are exactly those nodes, and every bucket of every group is owned by exactly
 * one of them (unless all of them have power 0 in the group); nodes not taking part own nothing.
 */
final class FarmSim {

  static final long CHECK_EVERY = 50;

  /** A scenario failed. */
  static final class Failure extends RuntimeException {
    Failure(String m) {
      super(m);
    }
  }

  private record Ev(long time, long seq, Runnable run) {}

  /** One node: its process (state machine) and whether its module is UP. */
  final class Node {
    final String name;
    Membership state;
    boolean alive = true;
    boolean refuses; // its process is gone but its kernel answers: pulses to it are refused
    boolean joined;
    long incarnationBase;
    long tickAt = Long.MAX_VALUE;
    long life; // ticks of an older life are ignored
    long stalledUntil; // a busy event loop: events wait until then, pulses keep their arrival

    /** The node's loop does nothing from now for {@code ms}: its events are handled late. */
    void stall(long ms) {
      stalledUntil = Math.max(stalledUntil, now + ms);
      trace(name, "STALL", ms + " ms");
    }

    Node(String name, long incarnation) {
      this.name = name;
      this.state = Membership.initial(config.as(name), incarnation);
      this.incarnationBase = incarnation;
    }

    void step(MembershipEvent e) {
      if (!alive) {
        return;
      }
      if (now < stalledUntil) {
        MembershipEvent late =
            e instanceof MembershipEvent.Received r && r.arrived() == Long.MAX_VALUE
                ? new MembershipEvent.Received(r.lan(), r.pulse(), now)
                : e;
        long myLife = life;
        scheduleAt(
            stalledUntil,
            () -> {
              if (life == myLife) {
                step(late);
              }
            });
        return;
      }
      MembershipStep s = Membership.step(state, now, e);
      state = s.state();
      events++;
      for (Pulse p : s.pulses()) {
        send(this, p);
      }
      if (s.change().isPresent()) {
        trace(name, "VIEW", s.state().view());
      }
      long w = state.nextWakeup();
      if (w < tickAt) {
        tickAt = w;
        long myLife = life;
        scheduleAt(
            w,
            () -> {
              if (alive && life == myLife && tickAt == w) {
                tickAt = Long.MAX_VALUE;
                step(new MembershipEvent.Tick());
              }
            });
      }
    }
  }

  final long seed;
  final Random rnd;
  final FarmConfig config;
  final Node[] nodes;
  final int lans;
  final long maxDelay;
  double loss;
  final double background;
  int[] component;
  long now;
  long events;
  long lastDisturbance;
  long checks;
  private long seq;
  private final ArrayDeque<String> trace = new ArrayDeque<>();
  private final PriorityQueue<Ev> queue =
      new PriorityQueue<>(
          (x, y) -> x.time != y.time ? Long.compare(x.time, y.time) : Long.compare(x.seq, y.seq));

  /** A random scenario: 2 to 32 nodes, 1 or 2 lans, short or long delays, some background loss. */
  static FarmSim random(long seed) {
    // mixed first: java.util.Random's first draws of consecutive seeds are alike, which made whole
    // runs of scenarios the same size
    Random r = new Random(BucketTable.mix(seed));
    int count = r.nextInt(4) == 0 ? 32 : 2 + r.nextInt(15);
    return new FarmSim(
        seed,
        r,
        count,
        1 + r.nextInt(2),
        r.nextInt(4) == 0 ? 40 : 5,
        r.nextInt(3) == 0 ? 0.01 : 0,
        r.nextBoolean());
  }

  FarmSim(
      long seed,
      Random rnd,
      int count,
      int lans,
      long maxDelay,
      double background,
      boolean weightedGroup) {
    this.seed = seed;
    this.rnd = rnd;
    List<String> names = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      names.add("node" + (i + 1));
    }
    this.lans = lans;
    this.maxDelay = maxDelay;
    this.background = background;
    List<FarmGroup> groups = new ArrayList<>();
    groups.add(FarmGroup.all("FarmProto", 0, names));
    if (weightedGroup) {
      Map<String, Integer> powers = new LinkedHashMap<>();
      for (String name : names) {
        if (rnd.nextInt(4) != 0) {
          powers.put(name, new int[] {0, 1, 2, 3, 64}[rnd.nextInt(5)]);
        }
      }
      groups.add(FarmGroup.weighted("Weighted", 1, powers));
    }
    this.config =
        new FarmConfig(
            "farm",
            names.get(0),
            names,
            FarmConfig.DEFAULT_PULSE,
            FarmConfig.DEFAULT_MLOST_COUNT,
            FarmConfig.DEFAULT_SLOST_COUNT,
            groups);
    this.nodes = new Node[count];
    for (int i = 0; i < count; i++) {
      nodes[i] = new Node(names.get(i), 1_000_000L * i);
    }
    this.component = new int[count];
    trace(
        "-",
        "SCENARIO",
        "seed="
            + seed
            + " nodes="
            + count
            + " lans="
            + lans
            + " maxDelay="
            + maxDelay
            + " background loss="
            + background
            + " groups="
            + groups.size());
  }

  /** The time after which a farm left alone must have converged. */
  long convergence() {
    return config.leaderTimeout() + 5 * config.pulseMillis() + 4 * maxDelay;
  }

  void trace(String node, String what, Object detail) {
    if (trace.size() == 4000) {
      trace.removeFirst();
    }
    trace.addLast(String.format("%8d %-7s %-9s %s", now, node, what, detail));
  }

  String dump() {
    return String.join("\n", trace);
  }

  void scheduleAt(long t, Runnable r) {
    queue.add(new Ev(Math.max(t, now), seq++, r));
  }

  void schedule(long delay, Runnable r) {
    scheduleAt(now + delay, r);
  }

  private void send(Node from, Pulse p) {
    int f = index(from);
    for (int i = 0; i < nodes.length; i++) {
      if (i == f || component[i] != component[f]) {
        continue;
      }
      Node to = nodes[i];
      for (int lan = 0; lan < lans; lan++) {
        if (rnd.nextDouble() < loss + background) {
          continue;
        }
        String ident = Integer.toString(lan);
        long life = to.life;
        schedule(
            1 + (long) (rnd.nextDouble() * maxDelay),
            () -> {
              if (to.alive && to.life == life) {
                to.step(new MembershipEvent.Received(ident, p));
              } else if (!to.alive && to.refuses) {
                refuse(from, to, ident);
              }
            });
      }
    }
  }

  /** {@code to}'s kernel refuses a pulse of {@code from}: the refusal travels back like a pulse. */
  private void refuse(Node from, Node to, String lan) {
    if (rnd.nextDouble() < loss + background) {
      return;
    }
    long life = from.life;
    int f = index(from);
    int t = index(to);
    schedule(
        1 + (long) (rnd.nextDouble() * maxDelay),
        () -> {
          if (from.alive && from.life == life && component[f] == component[t]) {
            trace(from.name, "REFUSED", to.name + " on lan " + lan);
            from.step(new MembershipEvent.Refused(lan, to.name, now));
          }
        });
  }

  /**
   * A refusal of {@code about} reaches {@code n} now although {@code about} may be back: one that
   * answered a pulse which reached it before it bound, delivered very late.
   */
  void lateRefusal(Node n, Node about) {
    if (n != about && n.alive) {
      trace(n.name, "REFUSED", about.name + " (late)");
      n.step(new MembershipEvent.Refused("0", about.name, now));
    }
  }

  private int index(Node n) {
    return Arrays.asList(nodes).indexOf(n);
  }

  void disturbed() {
    lastDisturbance = now;
  }

  // ---- what happens to nodes and the network

  void join(Node n) {
    if (n.alive && !n.joined) {
      disturbed();
      n.joined = true;
      trace(n.name, "JOIN", "");
      n.step(new MembershipEvent.Join());
    }
  }

  void leave(Node n) {
    if (n.alive && n.joined) {
      disturbed();
      n.joined = false;
      trace(n.name, "LEAVE", "");
      n.step(new MembershipEvent.Leave());
    }
  }

  /** The node falls silent: its machine, or its cable, is gone; nothing answers its pulses. */
  void crash(Node n) {
    if (n.alive) {
      disturbed();
      trace(n.name, "CRASH", "");
      n.alive = false;
      n.refuses = false;
      n.joined = false;
      n.life++;
    }
  }

  /** kill -9 of the node's process: its kernel stays up and refuses the pulses sent to it. */
  void kill(Node n) {
    if (n.alive) {
      crash(n);
      n.refuses = true;
      trace(n.name, "KILL", "its kernel refuses");
    }
  }

  void restart(Node n, boolean join) {
    if (!n.alive) {
      disturbed();
      n.incarnationBase += 1000;
      n.state = Membership.initial(config.as(n.name), n.incarnationBase);
      n.alive = true;
      n.refuses = false;
      n.tickAt = Long.MAX_VALUE;
      trace(n.name, "RESTART", "incarnation " + n.incarnationBase);
      if (join) {
        join(n);
      }
    }
  }

  void partition(int parts) {
    disturbed();
    for (int i = 0; i < nodes.length; i++) {
      component[i] = rnd.nextInt(parts);
    }
    trace("-", "PARTITION", Arrays.toString(component));
  }

  void heal() {
    disturbed();
    Arrays.fill(component, 0);
    trace("-", "HEAL", "");
  }

  void lossy(double l, long length) {
    disturbed();
    loss = l;
    trace("-", "LOSS", l + " for " + length + " ms");
    schedule(
        length,
        () -> {
          disturbed();
          loss = 0;
          trace("-", "LOSS", "over");
        });
  }

  /** A random run: everybody joins, then {@code faults} random faults over {@code chaos} ms. */
  void chaos(long chaos, int faults) {
    for (Node n : nodes) {
      scheduleAt(rnd.nextInt(300), () -> join(n));
    }
    for (int i = 0; i < faults; i++) {
      long t = 500 + (long) (rnd.nextDouble() * chaos);
      Node n = nodes[rnd.nextInt(nodes.length)];
      int kind = rnd.nextInt(100);
      if (kind < 20) {
        boolean silent = rnd.nextBoolean();
        scheduleAt(
            t,
            () -> {
              if (silent) {
                crash(n);
              } else {
                kill(n);
              }
            });
        long down = 100 + rnd.nextInt(4000);
        boolean join = rnd.nextInt(5) != 0;
        scheduleAt(t + down, () -> restart(n, join));
      } else if (kind < 35) {
        scheduleAt(t, () -> leave(n));
      } else if (kind < 50) {
        scheduleAt(t, () -> join(n));
      } else if (kind < 65) {
        long len = 500 + rnd.nextInt(5000);
        int parts = 2 + rnd.nextInt(2);
        scheduleAt(t, () -> partition(parts));
        scheduleAt(t + len, this::heal);
      } else if (kind < 75) {
        double l = 0.02 + rnd.nextDouble() * 0.18;
        long len = 300 + rnd.nextInt(3000);
        scheduleAt(t, () -> lossy(l, len));
      } else {
        scheduleAt(t, this::stable); // a quiet period: nothing but the check
      }
    }
    // at the end every node is back and the network whole, so the last check sees everybody
    scheduleAt(
        chaos + 1000,
        () -> {
          heal();
          loss = 0;
          for (Node n : nodes) {
            restart(n, true);
            join(n);
          }
        });
  }

  private void stable() {}

  /**
   * Runs from now in steps of {@code step} ms until the invariant holds; the time it took, or -1
   * after {@code limit} ms.
   */
  long convergenceTime(long step, long limit) {
    long start = now;
    for (long t = start; t <= start + limit; t += step) {
      runUntil(t);
      if (violation() == null) {
        return t - start;
      }
    }
    return -1;
  }

  /** Runs until {@code end}, checking the invariant every {@link #CHECK_EVERY} ms. */
  void run(long end) {
    for (long t = CHECK_EVERY; t <= end; t += CHECK_EVERY) {
      scheduleAt(t, this::checkIfStable);
    }
    runUntil(end);
  }

  /** Runs until {@code end} without checking. */
  void runUntil(long end) {
    while (!queue.isEmpty() && queue.peek().time <= end) {
      Ev e = queue.poll();
      now = e.time;
      e.run.run();
    }
    now = end;
  }

  private void checkIfStable() {
    if (now - lastDisturbance >= convergence()) {
      checks++;
      String why = violation();
      if (why != null) {
        throw new Failure(why + " at " + now + " (stable since " + lastDisturbance + ")");
      }
    }
  }

  /** The first broken invariant, null when all hold. */
  String violation() {
    for (Node n : nodes) {
      if (n.alive && !n.joined && !n.state.status().view().isEmpty()) {
        return n.name + " takes no part but holds " + n.state.view();
      }
    }
    Set<Integer> comps = new TreeSet<>();
    for (int c : component) {
      comps.add(c);
    }
    for (int c : comps) {
      List<Node> members = new ArrayList<>();
      for (int i = 0; i < nodes.length; i++) {
        if (component[i] == c && nodes[i].alive && nodes[i].joined) {
          members.add(nodes[i]);
        }
      }
      if (members.isEmpty()) {
        continue;
      }
      Set<String> names = new TreeSet<>();
      members.forEach(m -> names.add(m.name));
      FarmView v = members.get(0).state.view();
      for (Node m : members) {
        if (!m.state.view().equals(v)) {
          return "component "
              + names
              + ": "
              + members.get(0).name
              + " holds "
              + v
              + ", "
              + m.name
              + " holds "
              + m.state.view();
        }
      }
      if (!v.members().keySet().equals(names)) {
        return "component " + names + " holds " + v;
      }
      String owners = owners(members, names);
      if (owners != null) {
        return owners;
      }
    }
    return null;
  }

  private String owners(List<Node> members, Set<String> names) {
    for (int g = 0; g < config.groups().size(); g++) {
      FarmGroup group = config.groups().get(g);
      boolean anyPower = !group.table().owners(names)[0].isEmpty();
      int[] count = new int[BucketSet.BUCKETS];
      for (Node m : members) {
        FarmStatus s = m.state.status();
        GroupAllocation a = s.groups().get(g);
        for (int b : s.localBuckets(a.resource()).toArray()) {
          count[b]++;
        }
      }
      for (int b = 0; b < BucketSet.BUCKETS; b++) {
        if (count[b] != (anyPower ? 1 : 0)) {
          return "group "
              + group.resource()
              + " bucket "
              + b
              + " owned by "
              + count[b]
              + " of "
              + names;
        }
      }
    }
    return null;
  }
}
