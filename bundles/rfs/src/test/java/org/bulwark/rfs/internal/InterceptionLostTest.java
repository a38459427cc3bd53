package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * The primary's interception taken away (spec C.7, docs/replication.md "The interception is lost"),
 * with a real pair on 127.0.3.32–33 and a real {@code umount -l} of the primary's FUSE mount: what
 * the application then writes goes to the directory underneath, untracked. The primary logs
 * nfsboxv3's message, is degraded, and after a stop and start the secondary is reintegrated in
 * full: a change only a full copy finds (same size, same time) reaches it.
 */
public class InterceptionLostTest {
  private static final long LIMIT = 60_000;
  private static final FileTime OLD = FileTime.fromMillis(1_600_000_000_000L);
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.32", "127.0.3.33", 19331);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @Test
  public void aLazyUnmountOfThePrimarysMountDegradesItAndTheNextReintegrationIsFull()
      throws Exception {
    pair.open();
    pair.start();
    Path dir = pair.a.get(0);
    Path same = dir.resolve("same-size");
    Files.writeString(same, "AAAA");
    Files.setLastModifiedTime(same, OLD);
    pair.barrier();
    pair.assertSameTrees("before the unmount");
    pair.awaitNoDirtyZones(); // no zone left to name the file: only a full copy finds it now

    umountLazily(dir);
    pair.one.await(
        e ->
            e.equals(
                "log E nfsboxv3 Kernel filter configuration failed for "
                    + dir
                    + ". Check for module conflicts."),
        LIMIT);
    pair.one.await(e -> e.equals("resource rfs.degraded=up"), LIMIT);
    String degraded =
        pair.one.await(e -> e.startsWith("degraded replication failed on the primary: "), LIMIT);
    assertTrue(degraded, degraded.contains("the interception of " + dir + " is gone"));
    // the application goes on in the directory underneath, unseen by replication
    Files.writeString(same, "BBBB");
    Files.setLastModifiedTime(same, OLD);
    Files.writeString(dir.resolve("underneath"), "untracked");

    pair.two.clear();
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pair.node2.startSecondary("");
    String refused = pair.two.await(e -> e.startsWith("reintegrated "), LIMIT);
    assertTrue(refused, refused.startsWith("reintegrated false replication failed on the primary"));

    // stop (the mount already gone) and start: mounted again, reintegrated in full
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pair.node1.stopPrimary(Duration.ofSeconds(5));
    pair.one.await(e -> e.equals("resource rfs.degraded=down"), LIMIT);
    pair.one.clear();
    pair.two.clear();
    pair.node1.startPrimary(false);
    pair.node2.startSecondary("");
    pair.one.await(e -> e.equals("attached"), LIMIT);
    assertEquals("reintegrated true", pair.two.await(e -> e.startsWith("reintegrated "), LIMIT));
    assertTrue(
        pair.two.events().toString(),
        pair.two
            .events()
            .contains("log I reintegre Full synchronization of the replicated directories"));
    pair.barrier();
    pair.assertSameTrees("reintegrated in full after the primary was restarted");
    assertEquals("BBBB", Files.readString(pair.b.get(0).resolve("same-size")));
    assertTrue(
        pair.one.events().toString(),
        pair.one.events().stream().noneMatch(e -> e.contains("Kernel filter configuration")));
  }

  private static void umountLazily(Path dir) throws Exception {
    Process p =
        new ProcessBuilder("umount", "-l", dir.toString()).redirectErrorStream(true).start();
    assertTrue("umount did not end", p.waitFor(30, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals("umount -l " + dir + ": " + out, 0, p.exitValue());
  }
}
