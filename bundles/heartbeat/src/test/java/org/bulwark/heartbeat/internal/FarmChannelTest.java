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
import org.junit.After;
import org.junit.Test;

/**
 * Three farm members on three loopback addresses, each with its own event loop (as the module
 * runtime will have), its membership driver on the real clock and a real UDP farm channel: they
 * converge, lose one (killed: its loop and sockets gone without a word), converge again without it,
 * and take it back when it restarts with a new incarnation. Every wait is a condition with a
 * deadline, woken by the members' changes.
 */
public class FarmChannelTest {
  private static final String[] ADDRESSES = {"127.0.0.71", "127.0.0.72", "127.0.0.73"};
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
              (lan, p) -> loop.execute(() -> apply(driver.received(lan, p, now()))));
      loop.execute(() -> apply(driver.join(now())));
    }

    /** Runs on the loop: sends, publishes, and sets the next tick. */
    void apply(MembershipStep s) {
      s.pulses().forEach(channel::send);
      stale = driver.state().staleDropped();
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
  }

  /** Waits, woken by every change, until the condition holds; fails after the deadline. */
  private void await(String what, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE);
    synchronized (changes) {
      while (!condition.getAsBoolean()) {
        long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
        if (left <= 0) {
          StringBuilder b = new StringBuilder(what + " not within " + DEADLINE + " ms:");
          members.forEach(m -> b.append("\n  ").append(m.driver.state()));
          throw new AssertionError(b);
        }
        changes.wait(Math.min(left, PULSE));
      }
    }
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

    // node1, the leader, is killed: the others elect node2 and share the 256 buckets
    Member dead = members.remove(0);
    dead.kill();
    long killed = now();
    await("2 members converged without node1", () -> converged(members));
    long took = now() - killed;
    assertTrue("took " + took + " ms, mlost × pulse is " + 20 * PULSE, took >= 10 * PULSE);
    assertEquals(128, members.get(0).status.localBuckets("FarmProto").size());

    // a replayed old pulse from node2's address is dropped as stale; a forged one from another
    // address never reaches the membership
    long staleBefore = members.get(1).stale;
    long unexpectedBefore = members.get(1).channel.unexpectedSender();
    byte[] old = PulseCodec.encode(new Pulse("farm", "node2", 1_000L, 1, Role.LEADER, three));
    try (DatagramSocket replay = new DatagramSocket(0, InetAddress.getByName(ADDRESSES[1]));
        DatagramSocket forger = new DatagramSocket(0, InetAddress.getByName("127.0.0.74"))) {
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
            + " mlost 20, slost 10)%n",
        t, took, PULSE);
  }

  private Role roleOf(int i) throws Exception {
    return members.get(i).loop.submit(() -> members.get(i).driver.state().role()).get();
  }
}
