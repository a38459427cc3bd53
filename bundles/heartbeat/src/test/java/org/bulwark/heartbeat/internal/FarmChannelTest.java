package org.bulwark.heartbeat.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.api.farm.FarmStatus;
import org.bulwark.api.farm.FarmView;
import org.bulwark.automaton.farm.FarmConfig;
import org.bulwark.automaton.farm.FarmGroup;
import org.bulwark.automaton.farm.MembershipDriver;
import org.bulwark.automaton.farm.MembershipStep;
import org.bulwark.automaton.farm.Pulse;
import org.bulwark.automaton.farm.Role;
import org.bulwark.heartbeat.FarmChannel;
import org.bulwark.heartbeat.FarmChannelService.Link;
import org.bulwark.heartbeat.FarmChannelService.Receiver;
import org.junit.After;
import org.junit.Test;

/**
 * Three farm members on three loopback addresses, each with its own event loop (as the module
 * runtime will have), its membership driver on the real clock and a real UDP farm channel: they
 * converge, lose one (killed: its loop and sockets gone without a word, so its "kernel" refuses the
 * next pulses), converge again without it, and take it back when it restarts with a new
 * incarnation; a member that only stops (its sockets still bound, as under SIGSTOP) is lost by its
 * silence. Every wait is a condition with a deadline, woken by the members' changes.
 */
public class FarmChannelTest {
  private static final String[] ADDRESSES = {"127.0.0.228", "127.0.0.229", "127.0.0.230"};
  private static final String OTHER = "127.0.0.231";
  private static final List<String> NODES = List.of("node1", "node2", "node3");
  private static final long PULSE = 50;
  private static final long DEADLINE = 15_000;

  private final NettyFarmChannelService service = new NettyFarmChannelService();
  private final Object changes = new Object();
  private final List<Member> members = new ArrayList<>();
  private final long t0 = System.nanoTime();
  private int port;

  @After
  public void close() {
    members.forEach(Member::kill);
    service.deactivate();
  }

  private long now() {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** One node's module: an event loop that owns the driver, fed by the channel and its ticks. */
  private final class Member {
    final int index;
    final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    final MembershipDriver driver;
    final FarmChannel channel;
    volatile FarmStatus status;
    volatile long stale;
    volatile long refusals;
    ScheduledFuture<?> tick;
    long tickAt = Long.MAX_VALUE;

    Member(int index, long incarnation) throws IOException {
      this.index = index;
      FarmConfig config =
          new FarmConfig(
              "farm",
              NODES.get(index),
              NODES,
              PULSE,
              20,
              10,
              List.of(FarmGroup.all("FarmProto", 0, NODES)));
      this.driver = new MembershipDriver(config, incarnation);
      this.status = driver.status();
      Map<String, InetSocketAddress> peers = new LinkedHashMap<>();
      for (int i = 0; i < NODES.size(); i++) {
        if (i != index) {
          peers.put(NODES.get(i), new InetSocketAddress(ADDRESSES[i], port));
        }
      }
      this.channel =
          service.open(
              "farm",
              List.of(new Link("default", new InetSocketAddress(ADDRESSES[index], port), peers)),
              new Receiver() {
                @Override
                public void received(String lan, Pulse p) {
                  long at = now();
                  enqueue(() -> apply(driver.received(lan, p, at, now())));
                }

                @Override
                public void refused(String lan, String node) {
                  long at = now();
                  enqueue(() -> apply(driver.refused(lan, node, at, now())));
                }
              });
      loop.execute(() -> apply(driver.join(now())));
    }

    /** On the loop, unless it was stopped ({@link #freeze}, {@link #kill}). */
    void enqueue(Runnable r) {
      try {
        loop.execute(r);
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        // a stopped process handles nothing
      }
    }

    /** Runs on the loop: sends, publishes, and sets the next tick. */
    void apply(MembershipStep s) {
      s.pulses().forEach(channel::send);
      stale = driver.state().staleDropped();
      refusals = driver.state().refusals();
      if (s.change().isPresent()) {
        status = s.change().get();
      } else {
        status = driver.status();
      }
      synchronized (changes) {
        changes.notifyAll();
      }
      long w = driver.nextWakeup();
      if (w < tickAt) {
        if (tick != null) {
          tick.cancel(false);
        }
        tickAt = w;
        tick =
            loop.schedule(
                () -> {
                  tickAt = Long.MAX_VALUE;
                  apply(driver.tick(now()));
                },
                Math.max(0, w - now()),
                TimeUnit.MILLISECONDS);
      }
    }

    void kill() {
      loop.shutdownNow();
      channel.close();
    }

    /** SIGSTOP-like: nothing is sent or handled any more, but the sockets stay bound. */
    void freeze() {
      loop.shutdownNow();
    }
  }

  /** Waits, woken by every change, until the condition holds; fails after the deadline. */
  private void await(String what, BooleanSupplier condition) throws InterruptedException {
    if (!await(what, condition, DEADLINE)) {
      StringBuilder b = new StringBuilder(what + " not within " + DEADLINE + " ms:");
      members.forEach(m -> b.append("\n  ").append(m.driver.state()));
      throw new AssertionError(b);
    }
  }

  /** Waits, woken by every change, until the condition holds; false after {@code ms}. */
  private boolean await(String what, BooleanSupplier condition, long ms)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    synchronized (changes) {
      while (!condition.getAsBoolean()) {
        long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        changes.wait(Math.min(left, PULSE));
      }
    }
    return true;
  }

  /** The given members agree on a view of exactly themselves and own each bucket once. */
  private boolean converged(List<Member> live) {
    FarmView v = live.get(0).status.view();
    List<String> names = live.stream().map(m -> NODES.get(m.index)).sorted().toList();
    if (!v.names().equals(names)) {
      return false;
    }
    BucketSet union = BucketSet.EMPTY;
    int total = 0;
    for (Member m : live) {
      FarmStatus s = m.status;
      if (!s.view().equals(v)) {
        return false;
      }
      BucketSet mine = s.localBuckets("FarmProto");
      union = union.union(mine);
      total += mine.size();
    }
    return total == BucketSet.BUCKETS && union.equals(BucketSet.ALL);
  }

  private static int freePort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(ADDRESSES[0]))) {
      return s.getLocalPort();
    }
  }

  @Test
  public void threeMembersConvergeLoseOneAndConvergeAgain() throws Exception {
    port = freePort();
    for (int i = 0; i < 3; i++) {
      members.add(new Member(i, 1_000L * i));
    }
    await("3 members converged", () -> converged(members));
    long t = now();
    FarmView three = members.get(0).status.view();
    assertEquals(Role.LEADER, roleOf(0)); // the lowest name leads

    // node1, the leader, is killed: nothing listens on its port any more, so the others' next
    // pulses are refused and they elect node2 without waiting mlost × pulse, and share the buckets
    Member dead = members.remove(0);
    long[] refusedBefore = members.stream().mapToLong(m -> m.channel.refused()).toArray();
    dead.kill();
    long killed = now();
    await("2 members converged without node1", () -> converged(members));
    long took = now() - killed;
    assertEquals(128, members.get(0).status.localBuckets("FarmProto").size());
    for (int i = 0; i < members.size(); i++) {
      Member m = members.get(i);
      assertEquals(NODES.get(m.index) + " lost node1 on a refusal", 1, m.refusals);
      assertTrue(m.channel.refused() > refusedBefore[i]);
    }

    // a replayed old pulse from node2's address is dropped as stale; a forged one from another
    // address never reaches the membership
    long staleBefore = members.get(1).stale;
    long unexpectedBefore = members.get(1).channel.unexpectedSender();
    byte[] old = PulseCodec.encode(new Pulse("farm", "node2", 1_000L, 1, Role.LEADER, three));
    try (DatagramSocket replay = new DatagramSocket(0, InetAddress.getByName(ADDRESSES[1]));
        DatagramSocket forger = new DatagramSocket(0, InetAddress.getByName(OTHER))) {
      InetSocketAddress node3 = new InetSocketAddress(ADDRESSES[2], port);
      replay.send(new DatagramPacket(old, old.length, node3));
      forger.send(new DatagramPacket(old, old.length, node3));
    }
    Member node3 = members.get(1);
    await(
        "the replay counted stale and the forgery refused",
        () -> node3.stale > staleBefore && node3.channel.unexpectedSender() > unexpectedBefore);
    assertTrue(converged(members));

    // node1 comes back with a new incarnation and gets its share back
    members.add(0, new Member(0, 5_000L));
    await("3 members converged again", () -> converged(members));
    System.out.printf(
        "FarmChannelTest: converged in %d ms, without the leader %d ms after its kill (pulse %d ms,"
            + " mlost 20, slost 10: silence would take %d ms)%n",
        t, took, PULSE, 20 * PULSE);
  }

  @Test
  public void aStoppedMemberIsLostByItsSilence_notByARefusal() throws Exception {
    port = freePort();
    for (int i = 0; i < 3; i++) {
      members.add(new Member(i, 1_000L * i));
    }
    await("3 members converged", () -> converged(members));
    // node3 stops but its sockets stay bound: its kernel delivers the pulses, nobody reads them
    Member stopped = members.remove(2);
    // pulses sent before the others were bound were refused, at the start: count from here
    long[] refusedBefore = members.stream().mapToLong(m -> m.channel.refused()).toArray();
    stopped.freeze();
    long at = now();
    await("2 members converged without node3", () -> converged(members));
    long took = now() - at;
    // silence is counted from node3's last pulse, which a loaded machine may have delivered a few
    // pulses before the freeze; a refusal would have taken a pulse or two
    assertTrue(
        "took " + took + " ms, slost × pulse is " + 10 * PULSE, took >= 10 * PULSE - 4 * PULSE);
    for (int i = 0; i < members.size(); i++) {
      assertEquals(0, members.get(i).refusals);
      assertEquals(refusedBefore[i], members.get(i).channel.refused());
    }
    members.add(stopped); // its sockets closed by close() with the others
  }

  /**
   * One channel, two peers: nothing is bound at the first one's farm port, a socket at the
   * second's. Only the first is reported refused, by name and lan; the second gets the pulses, from
   * this node's address (an ephemeral port: the socket connected to it).
   */
  @Test
  public void onlyThePeerWithNoSocketIsReportedRefused() throws Exception {
    port = freePort();
    List<String> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (DatagramSocket alive = new DatagramSocket(port, InetAddress.getByName(ADDRESSES[2]))) {
      Map<String, InetSocketAddress> peers = new LinkedHashMap<>();
      peers.put("gone", new InetSocketAddress(ADDRESSES[1], port));
      peers.put("alive", new InetSocketAddress(ADDRESSES[2], port));
      FarmChannel c =
          service.open(
              "farm",
              List.of(new Link("lan1", new InetSocketAddress(ADDRESSES[0], port), peers)),
              new Receiver() {
                @Override
                public void received(String lan, Pulse p) {}

                @Override
                public void refused(String lan, String node) {
                  refused.add(lan + " " + node);
                  synchronized (changes) {
                    changes.notifyAll();
                  }
                }
              });
      try {
        Pulse p = new Pulse("farm", "node1", 1, 1, Role.JOINING, FarmView.NONE);
        c.send(p);
        byte[] buf = new byte[PulseCodec.MAX_SIZE];
        DatagramPacket got = new DatagramPacket(buf, buf.length);
        alive.setSoTimeout((int) DEADLINE);
        alive.receive(got);
        assertEquals(InetAddress.getByName(ADDRESSES[0]), got.getAddress());
        assertTrue(got.getPort() != port);
        // a refusal comes back at the next read or write of that peer's socket
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE);
        for (long seq = 2; refused.isEmpty(); seq++) {
          assertTrue("no refusal within " + DEADLINE + " ms", System.nanoTime() < end);
          c.send(new Pulse("farm", "node1", 1, seq, Role.JOINING, FarmView.NONE));
          await("a refusal", () -> !refused.isEmpty(), PULSE);
        }
        assertTrue(refused.toString(), refused.stream().allMatch("lan1 gone"::equals));
        assertEquals(refused.size(), c.refused());
      } finally {
        c.close();
      }
    }
  }

  private Role roleOf(int i) throws Exception {
    return members.get(i).loop.submit(() -> members.get(i).driver.state().role()).get();
  }
}
