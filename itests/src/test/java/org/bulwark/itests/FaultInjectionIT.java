package org.bulwark.itests;

import static org.bulwark.itests.MirrorPair.MODULE;
import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.Test;

/**
 * The acknowledged-write checker (issue 9): an application writes numbered records on the primary,
 * each followed by an fsync, and keeps the numbers it was told are durable; faults are injected one
 * after the other — {@code kill -9} of the PRIM node, of the SECOND node, of both in turn, the
 * replication link cut and restored, the secondary's disk full or read-only — with failover,
 * restart and reintegration between them. After each, the primary's copy must hold every
 * acknowledged record (and nothing torn), {@code rfsverify} must find the pair identical, and at
 * the end both disks must hold the same tree. {@code -Dfaults=N} sets the count (100 by default),
 * {@code -Dfaults.seed=S} replays an order.
 */
public class FaultInjectionIT {
  private static final int FAULTS = Integer.getInteger("faults", 100);
  private static final long SEED = Long.getLong("faults.seed", System.nanoTime());

  /**
   * The nodes' loopback addresses and web ports ({@code -Dfaults.addr1=127.0.0.236
   * -Dfaults.port1=19236}, the same with 2), so that parallel runs keep to their own.
   */
  private static final String ADDR1 = System.getProperty("faults.addr1", "127.0.0.91");

  private static final String ADDR2 = System.getProperty("faults.addr2", "127.0.0.92");
  private static final int PORT1 = Integer.getInteger("faults.port1", 19091);
  private static final int PORT2 = Integer.getInteger("faults.port2", 19092);

  /** {@code -Dfaults.only=KIND} injects only faults of that kind (to study one). */
  private static final String ONLY = System.getProperty("faults.only", "");

  private static final String HEART = "pulse=\"100\" timeout=\"2000\"";
  private static final Duration STEP = Duration.ofSeconds(90);
  private static final long DISK = 96L << 20;
  private static final String READ_ONLY = "Read-only file system";
  private static final String NO_SPACE = "No space left on device";
  private static final String NOT_SYNCHRONOUS = "no secondary follows this primary synchronously";

  private enum Fault {
    KILL_SECOND,
    KILL_PRIM,
    KILL_BOTH,
    LINK_CUT,
    DISK_FULL,
    DISK_READ_ONLY
  }

  private static final Fault[] WEIGHTED = {
    Fault.LINK_CUT,
    Fault.LINK_CUT,
    Fault.LINK_CUT,
    Fault.DISK_FULL,
    Fault.DISK_FULL,
    Fault.DISK_READ_ONLY,
    Fault.KILL_SECOND,
    Fault.KILL_SECOND,
    Fault.KILL_SECOND,
    Fault.KILL_PRIM,
    Fault.KILL_PRIM,
    Fault.KILL_BOTH
  };

  private MirrorPair pair;
  private Path shared;
  private NodeNamespace primary;
  private NodeNamespace secondary;
  private RecordWriter writer;
  private final List<Long> acknowledged = new ArrayList<>();
  private final Map<Fault, Integer> done = new EnumMap<>(Fault.class);

  /** Nanoseconds spent on each kind of fault, its checks included (printed at the end). */
  private final Map<Fault, Long> spent = new EnumMap<>(Fault.class);

  private long checked;

  @Test
  public void everyAcknowledgedRecordSurvivesEveryFault() throws Exception {
    System.out.println(
        "FaultInjectionIT: "
            + FAULTS
            + " faults, seed "
            + SEED
            + " (replay: -Dfaults.seed="
            + SEED
            + ")");
    Random random = new Random(SEED);
    ReplicatedPath lab = ReplicatedPath.create(DISK);
    shared = lab.shared;
    String rfs =
        "    <rfs async=\"second\" sendtimeout=\"3s\" locktimeout=\"5s\">\n"
            + "      <replicated dir=\""
            + shared
            + "\"/>\n    </rfs>\n";
    try (lab;
        MirrorPair p = new MirrorPair(ADDR1, PORT1, ADDR2, PORT2, HEART, lab, rfs);
        LinkCut link = new LinkCut(ADDR1, ADDR2, 5600)) {
      pair = p;
      try {
        ok(p.n1.safekit("prim", "-m", MODULE));
        p.await(p.n1, "ALONE", seconds());
        ok(p.n2.safekit("second", "-m", MODULE));
        p.await(p.n2, "SECOND", seconds());
        p.await(p.n1, "PRIM", seconds());
        primary = p.ns1;
        secondary = p.ns2;
        startWriter();
        for (int i = 1; i <= FAULTS; i++) {
          Fault f = WEIGHTED[random.nextInt(WEIGHTED.length)];
          if (!ONLY.isEmpty()) {
            f = Fault.valueOf(ONLY);
          }
          long start = System.nanoTime();
          progress(5);
          inject(f, link);
          done.merge(f, 1, Integer::sum);
          check("after fault " + i + " (" + f + ")", true);
          spent.merge(f, System.nanoTime() - start, Long::sum);
        }
        progress(5);
        writer.close();
        writer.awaitEnd(STEP);
        collect();
        await(primary, "PRIM");
        Replicas.awaitSameTrees(pair, "at the end");
        check("at the end", true);
      } catch (Exception | AssertionError e) {
        System.out.println("FaultInjectionIT seed " + SEED + " failed after " + done + ": " + e);
        System.out.println(Replicas.diagnostics(p));
        throw e;
      } finally {
        if (writer != null) {
          writer.close();
        }
      }
    }
    System.out.println(
        "FaultInjectionIT: "
            + done.values().stream().mapToInt(Integer::intValue).sum()
            + " faults "
            + done
            + ", "
            + acknowledged.size()
            + " records acknowledged, "
            + checked
            + " record checks");
    spent.forEach(
        (f, nanos) ->
            System.out.printf(
                "FaultInjectionIT: %s %d x, %.1f s each%n",
                f, done.get(f), nanos / 1e9 / done.get(f)));
  }

  private static int seconds() {
    return (int) STEP.toSeconds();
  }

  private void inject(Fault f, LinkCut link) throws Exception {
    switch (f) {
      case KILL_SECOND -> {
        secondary.crash();
        progress(3); // the primary goes on alone
        restart(secondary);
        awaitPair();
      }
      case KILL_PRIM -> {
        primary.crash();
        collect();
        await(secondary, "ALONE");
        NodeNamespace survivor = secondary;
        secondary = primary;
        primary = survivor;
        check("after the failover", false);
        startWriter();
        progress(3);
        restart(secondary);
        awaitPair();
      }
      case KILL_BOTH -> {
        secondary.crash();
        progress(3); // written by the primary alone
        primary.crash();
        collect();
        // both come back at once, as after a power cut
        NodeNamespace first = primary;
        NodeNamespace second = secondary;
        Concurrently.inParallel(() -> restart(first), () -> restart(second));
        // the node that wrote last holds the newer generation: it leads (spec C.5)
        await(primary, "PRIM");
        await(secondary, "SECOND");
        check("after both nodes crashed", true);
        startWriter();
      }
      case LINK_CUT -> {
        link.cut();
        try {
          progress(3); // after sendtimeout the primary goes on without its secondary
          // a link failure (spec C.7): ALONE, not degraded, until the secondary is attached again
          await(primary, "ALONE");
          assertEquals(
              "rfs.degraded after a link cut",
              "down",
              ok(primary.node.safekit("get", "-r", "rfs.degraded", "-m", MODULE)).out().trim());
        } finally {
          link.restore();
        }
        awaitPair();
      }
      case DISK_READ_ONLY -> {
        // a disk that turned read-only under the secondary: the kernel remounts a tmpfs read-only
        // only while no file on it is open for writing, so it turns so while the module is stopped
        // (the node keeps running: its namespace sees the remount, both ways)
        stopModule(secondary);
        int refusals = Replicas.timesLogged(secondary.node, READ_ONLY);
        secondary.disk.readOnly(true);
        try {
          ok(secondary.node.safekit("start", "-m", MODULE));
          // it cannot apply what its reintegration sends: the primary goes on alone
          Replicas.awaitLogged(secondary.node, READ_ONLY, refusals + 1);
          await(primary, "ALONE");
          progress(300);
        } finally {
          stopModule(secondary);
          secondary.disk.readOnly(false);
        }
        ok(secondary.node.safekit("start", "-m", MODULE));
        awaitPair();
      }
      case DISK_FULL -> {
        int refusals = Replicas.timesLogged(secondary.node, NO_SPACE);
        secondary.disk.fill();
        try {
          // the next page the records take cannot be had: the secondary cannot apply, says so,
          // and the primary goes on alone
          Replicas.awaitLogged(secondary.node, NO_SPACE, refusals + 1);
          await(primary, "ALONE");
          progress(40);
        } finally {
          secondary.disk.unfill();
        }
        awaitPair();
      }
    }
  }

  private void restart(NodeNamespace ns) throws Exception {
    ok(ns.node.start());
    ok(ns.node.safekit("start", "-m", MODULE));
  }

  /** Stops the module on {@code ns} and waits until it is stopped (its files closed). */
  private void stopModule(NodeNamespace ns) throws Exception {
    ok(ns.node.safekit("stop", "-m", MODULE));
    await(ns, "STOP");
  }

  private void await(NodeNamespace ns, String state) throws Exception {
    pair.await(ns.node, state, seconds());
  }

  private void awaitPair() throws Exception {
    await(secondary, "SECOND");
    await(primary, "PRIM");
  }

  /** A writer on the primary, numbering on from the last record its copy holds. */
  private void startWriter() throws Exception {
    if (writer != null) {
      writer.close();
      writer.awaitEnd(STEP);
      collect();
    }
    long held = complete(primary).size();
    // about a record per millisecond: a hundred faults stay within a few tens of MiB
    writer = RecordWriter.spawn(primary, shared.resolve("records"), held + 1, 0, 1000);
  }

  /** Waits until {@code n} more records are acknowledged. */
  private void progress(int n) throws Exception {
    writer.awaitAcknowledged(writer.acknowledged().size() + n, STEP);
  }

  /** Adds the current writer's acknowledgements to the whole run's. */
  private void collect() {
    for (long a : writer.acknowledged()) {
      if (acknowledged.isEmpty() || a > acknowledged.get(acknowledged.size() - 1)) {
        acknowledged.add(a);
      }
    }
  }

  /**
   * The primary's copy holds every acknowledged record, whole and in order, and both copies are the
   * same (online verify, while the application writes).
   */
  private void check(String when, boolean paired) throws Exception {
    if (writer != null && writer.process.isAlive()) {
      for (long a : writer.acknowledged()) {
        if (acknowledged.isEmpty() || a > acknowledged.get(acknowledged.size() - 1)) {
          acknowledged.add(a);
        }
      }
    }
    List<Long> numbers = complete(primary);
    for (int i = 0; i < numbers.size(); i++) {
      assertEquals(when + ": record out of order", i + 1, (long) numbers.get(i));
    }
    if (!acknowledged.isEmpty()) {
      long last = acknowledged.get(acknowledged.size() - 1);
      assertTrue(
          when
              + ": the primary's copy holds "
              + numbers.size()
              + " records, "
              + last
              + " acknowledged",
          numbers.size() >= last);
    }
    checked += acknowledged.size();
    if (!paired) {
      return;
    }
    NodeProcess.Result verify = verifyOnceSynchronous();
    if (verify.exitCode() != 0) {
      fail(when + ": rfsverify: " + verify);
    }
  }

  /**
   * {@code rfsverify} on the primary once its secondary follows it synchronously. Both nodes may
   * show PRIM and SECOND Ready while a failure that happened before the fault was repaired (a write
   * the full disk refused) is still on its way to ending the session; the secondary is then
   * reintegrated again. Verify says so ({@code NOT_SYNCHRONOUS}), and the pair is awaited again,
   * until {@link #STEP} has passed: a verify that compared the copies is never run twice.
   */
  private NodeProcess.Result verifyOnceSynchronous() throws Exception {
    long deadline = System.nanoTime() + STEP.toNanos();
    while (true) {
      NodeProcess.Result verify = primary.node.safekit("rfsverify", "-m", MODULE);
      if (verify.exitCode() == 0
          || !verify.err().contains(NOT_SYNCHRONOUS)
          || System.nanoTime() > deadline) {
        return verify;
      }
      awaitPair();
    }
  }

  /** The whole records of the primary's copy (a record being appended right now is left out). */
  private static List<Long> complete(NodeNamespace ns) throws Exception {
    Path file = ns.disk.data.resolve("records");
    if (!Files.exists(file)) {
      return List.of();
    }
    byte[] all = Files.readAllBytes(file);
    int whole = all.length - all.length % RecordWriter.RECORD_BYTES;
    return RecordWriter.numbers(new String(all, 0, whole, StandardCharsets.US_ASCII));
  }
}
