package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.32", "127.0.3.33", 19331);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @Test
  public void aLazyUnmountOfThePrimarysMountDegradesItAndTheNextReintegrationIsFull()
      throws Exception {
    pair.open();
    pair.start();
    Path dir = pair.a.get(0);
    Path same = pair.quietFile();

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
    Files.setLastModifiedTime(same, Pair.OLD);
    Files.writeString(dir.resolve("underneath"), "untracked");

    // refused, then stopped (the mount already gone) and started: mounted again, a full copy
    pair.assertRefusedThenRecoveredInFull();
    assertEquals("BBBB", Files.readString(pair.b.get(0).resolve("same-size")));
    // the restarted primary watches its new mount, and takes it for no lost one
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
