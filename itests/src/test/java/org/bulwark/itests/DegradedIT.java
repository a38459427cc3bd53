package org.bulwark.itests;

import static org.bulwark.itests.MirrorPair.MODULE;
import static org.bulwark.itests.NodeProcess.ok;
import static org.bulwark.itests.Replicas.STEP;
import static org.bulwark.itests.Replicas.assertLogged;
import static org.bulwark.itests.Replicas.awaitLogged;
import static org.bulwark.itests.Replicas.awaitSameTrees;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * Degraded replication on real nodes (spec C.7, issue 11), on 127.0.0.236–239: the replication link
 * cut while heartbeats flow (the primary goes ALONE, {@code rfs.degraded} down, the secondary no
 * longer up to date; the link back, the pair is PRIM–SECOND with identical trees), and the
 * primary's change record on a disk that fills up (ALONE with {@code rfs.degraded} up, the peer
 * WAIT NotReady by {@code degraded_server}; the disk freed, stop and start of the primary give a
 * pair again, reintegrated in full); and, on 127.0.3.34–35, the primary's mount taken away by a
 * real {@code umount -l} (the same degraded state, nfsboxv3's message, a full reintegration after
 * stop and start).
 */
public class DegradedIT {
  private static final String HEART = "pulse=\"100\" timeout=\"2000\"";
  private static final int SECONDS = (int) STEP.toSeconds();

  /** The mirror module's replication port (spec G.2: 5600 for module id 1). */
  private static final int RFS_PORT = 5600;

  private static String rfs(Path shared) {
    return "    <rfs async=\"second\" sendtimeout=\"3s\" locktimeout=\"5s\">\n"
        + "      <replicated dir=\""
        + shared
        + "\"/>\n    </rfs>\n";
  }

  @Test
  public void linkCutWhileHeartbeatsFlow_primaryAloneThenPairedAgain() throws Exception {
    ReplicatedPath lab = ReplicatedPath.create();
    Path shared = lab.shared;
    try (lab;
        MirrorPair p =
            new MirrorPair("127.0.0.236", 19236, "127.0.0.237", 19237, HEART, lab, rfs(shared));
        LinkCut link = new LinkCut("127.0.0.236", "127.0.0.237", RFS_PORT)) {
      try {
        pairUp(p);
        ok(p.ns1.run(STEP, "sh", "-c", "echo before > " + shared.resolve("before")));
        awaitSameTrees(p, "before the cut");
        link.cut();
        try {
          // the write waits for its acknowledgement (locktimeout), then the primary goes on alone
          ok(p.ns1.run(STEP, "sh", "-c", "echo during > " + shared.resolve("during")));
          p.await(p.n1, "ALONE", SECONDS);
          assertLogged(p.n1, "Action alone called by nfsadmin: ");
          assertEquals("down", get(p.n1, "rfs.degraded"));
          awaitResource(p.n2, "rfs.uptodate", "down");
          // the secondary retries: SECOND Transient (or WAIT between two failed attempts)
          String second = get(p.n2, "state.local");
          assertTrue(second, second.equals("SECOND") || second.equals("WAIT"));
          ok(p.ns1.run(STEP, "sh", "-c", "echo alone >> " + shared.resolve("during")));
          assertEquals("ALONE", get(p.n1, "state.local")); // heartbeats say SECOND: not enough
        } finally {
          link.restore();
        }
        p.await(p.n1, "PRIM", SECONDS);
        awaitResource(p.n2, "rfs.uptodate", "up");
        awaitSameTrees(p, "after the link came back");
        assertEquals("down", get(p.n1, "rfs.degraded"));
      } catch (Exception | AssertionError e) {
        System.out.println(Replicas.diagnostics(p));
        throw e;
      }
    }
  }

  @Test
  public void changeRecordOnAFullDisk_primaryDegradedUntilStoppedAndStarted() throws Exception {
    ReplicatedPath lab = ReplicatedPath.create();
    Path shared = lab.shared;
    try (lab;
        MirrorPair p =
            new MirrorPair("127.0.0.238", 19238, "127.0.0.239", 19239, HEART, lab, rfs(shared));
        StateDisk disk = new StateDisk(p.n1.home.resolve("var/modules/" + MODULE + "/rfs"))) {
      try {
        // node 1's SAFEUSERVAR/rfs on a small disk of its own, mounted while the node is down so
        // that its mount namespace sees it
        p.ns1.crash();
        disk.mount();
        ok(p.ns1.node.start());
        pairUp(p);
        ok(p.ns1.run(STEP, "sh", "-c", "echo before > " + shared.resolve("before")));
        awaitSameTrees(p, "before the disk filled up");

        disk.fill();
        // the application goes on: every write succeeds, on the primary alone once the record fails
        String many =
            "i=0; while [ $i -lt 3000 ]; do echo $i > "
                + shared
                + "/f$i || exit 1; i=$((i+1)); done";
        ok(p.ns1.run(STEP, "sh", "-c", many));
        awaitResource(p.n1, "rfs.degraded", "up");
        p.await(p.n1, "ALONE", SECONDS);
        assertLogged(p.n1, "Resource rfs.degraded set to up by nfsadmin");
        assertLogged(
            p.n1, "Replication failed on the primary: the change record cannot be written");
        p.await(p.n2, "WAIT", SECONDS);
        // the rule's wait follows the heartbeat that brings the primary's rfs.degraded, which
        // may come after the failed reintegration already put this node in WAIT
        awaitLogged(p.n2, "Action wait from failover rule degraded_server");
        awaitResource(p.n2, "rfs.uptodate", "down");
        assertEquals("ALONE", get(p.n1, "state.local")); // no failover

        disk.unfill();
        restartDegradedPrimary(p);
      } catch (Exception | AssertionError e) {
        System.out.println(Replicas.diagnostics(p));
        throw e;
      }
    }
  }

  @Test
  public void primarysMountTakenAway_primaryDegradedUntilStoppedAndStarted() throws Exception {
    ReplicatedPath lab = ReplicatedPath.create();
    Path shared = lab.shared;
    try (lab;
        MirrorPair p =
            new MirrorPair("127.0.3.34", 19334, "127.0.3.35", 19335, HEART, lab, rfs(shared))) {
      try {
        pairUp(p);
        ok(p.ns1.run(STEP, "sh", "-c", "echo before > " + shared.resolve("before")));
        awaitSameTrees(p, "before the unmount");

        // the mount taken away in node 1's namespace: the application now writes underneath
        ok(p.ns1.run(STEP, "umount", "-l", shared.toString()));
        awaitResource(p.n1, "rfs.degraded", "up");
        assertLogged(
            p.n1,
            "Kernel filter configuration failed for " + shared + ". Check for module conflicts.");
        assertLogged(p.n1, "Replication failed on the primary: the interception of " + shared);
        p.await(p.n1, "ALONE", SECONDS);
        ok(p.ns1.run(STEP, "sh", "-c", "echo untracked > " + shared.resolve("underneath")));
        p.await(p.n2, "WAIT", SECONDS);
        awaitLogged(p.n2, "Action wait from failover rule degraded_server");
        assertEquals("ALONE", get(p.n1, "state.local")); // no failover

        restartDegradedPrimary(p);
      } catch (Exception | AssertionError e) {
        System.out.println(Replicas.diagnostics(p));
        throw e;
      }
    }
  }

  /** {@code prim} on node 1, {@code second} on node 2, until PRIM–SECOND. */
  private static void pairUp(MirrorPair p) throws Exception {
    ok(p.n1.safekit("prim", "-m", MODULE));
    p.await(p.n1, "ALONE", SECONDS);
    ok(p.n2.safekit("second", "-m", MODULE));
    p.await(p.n2, "SECOND", SECONDS);
    p.await(p.n1, "PRIM", SECONDS);
    awaitResource(p.n2, "rfs.uptodate", "up");
  }

  /**
   * Recovery of a degraded primary (spec C.7): stop and start of node 1, then PRIM–SECOND again
   * after a full reintegration, {@code rfs.degraded} down, both trees the same.
   */
  private static void restartDegradedPrimary(MirrorPair p) throws Exception {
    String full = "Full synchronization of the replicated directories";
    int fullBefore = count(p.n2, full); // the first reintegration was full too
    ok(p.n1.safekit("stop", "-m", MODULE));
    p.await(p.n1, "STOP", SECONDS);
    ok(p.n1.safekit("start", "-m", MODULE));
    p.await(p.n1, "PRIM", SECONDS);
    awaitResource(p.n2, "rfs.uptodate", "up");
    assertTrue("the reintegration after the restart was not full", count(p.n2, full) > fullBefore);
    assertEquals("down", get(p.n1, "rfs.degraded"));
    awaitSameTrees(p, "after stop and start of the primary");
  }

  /** How many times the module log of {@code n} holds {@code line}. */
  private static int count(NodeProcess n, String line) throws Exception {
    String log = ok(n.safekit("log", "-m", MODULE, "-A")).out();
    int count = 0;
    for (int i = log.indexOf(line); i >= 0; i = log.indexOf(line, i + 1)) {
      count++;
    }
    return count;
  }

  private static String get(NodeProcess n, String resource) throws Exception {
    return ok(n.safekit("get", "-r", resource, "-m", MODULE)).out().trim();
  }

  /** Polls a resource until it has the value, with a deadline. */
  private static void awaitResource(NodeProcess n, String resource, String value) throws Exception {
    long end = System.nanoTime() + STEP.toNanos();
    String now = get(n, resource);
    while (!value.equals(now)) {
      if (System.nanoTime() > end) {
        throw new AssertionError(
            n.address + ": " + resource + " is " + now + ", not " + value + " after " + STEP);
      }
      Thread.sleep(100); // polling a condition with a deadline, not synchronising on time
      now = get(n, resource);
    }
  }

  /**
   * A small tmpfs over a node's replication state directory: the disk of the primary's change
   * record, filled up and freed by the test. Unmounted on close, the original content back in
   * place.
   */
  private static final class StateDisk implements AutoCloseable {
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private final Path dir;
    private final Path aside;
    private boolean mounted;

    StateDisk(Path dir) {
      this.dir = dir;
      this.aside = dir.resolveSibling(dir.getFileName() + ".aside");
    }

    void mount() throws Exception {
      Files.createDirectories(dir);
      Files.move(dir, aside);
      Files.createDirectory(dir);
      run("mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "bwdg-rfs-state", dir.toString());
      mounted = true;
      run("cp", "-a", aside + "/.", dir.toString());
    }

    /** Writes a filler file until the disk is full. */
    void fill() throws IOException {
      ByteBuffer block = ByteBuffer.allocate(64 << 10);
      try (FileChannel f =
          FileChannel.open(filler(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        while (true) {
          block.clear();
          f.write(block);
        }
      } catch (IOException full) {
        // No space left on device: what the test wants
      }
    }

    void unfill() throws IOException {
      Files.deleteIfExists(filler());
    }

    private Path filler() {
      return dir.resolve("filler");
    }

    @Override
    public void close() throws Exception {
      if (mounted) {
        run("umount", "-l", dir.toString());
        mounted = false;
      }
      if (Files.isDirectory(aside)) {
        Files.deleteIfExists(dir);
        Files.move(aside, dir);
      }
    }

    private static void run(String... command) throws Exception {
      NodeProcess.Result r = NodeProcess.run(List.of(command), Map.of(), DEADLINE);
      if (r.exitCode() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + r);
      }
    }
  }
}
