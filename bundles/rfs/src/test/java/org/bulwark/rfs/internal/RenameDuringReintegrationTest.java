package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bulwark.api.config.Rfs;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * A file renamed over another while a reintegration runs (issue 9): the copy planned for the name
 * from its old file's dirty zones finds the renamed file under it. The renamed file, of the same
 * size and time as the secondary's stale file under that name, must still reach the secondary whole
 * (docs/replication.md, "Change tracking").
 */
public class RenameDuringReintegrationTest {
  private static final long ZONE = 64 << 10;
  private static final int ZONES = 8;
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.90", "127.0.3.91", 0);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @After
  public void noHook() {
    Reintegrator.beforeCopy = null;
  }

  private static byte[] random(long seed) {
    byte[] data = new byte[(int) (ZONES * ZONE)];
    new Random(seed).nextBytes(data);
    return data;
  }

  @Test
  public void aFileRenamedOverTheOneAboutToBeCopiedReachesTheSecondaryWhole() throws Exception {
    renamedOverDuringCopyOf("/n", 1);
  }

  @Test
  public void withStreamsToo() throws Exception {
    renamedOverDuringCopyOf("/n", 3);
  }

  /**
   * {@code /n} and {@code /x}: several zones each, the same size and time, on both nodes; while the
   * secondary is away one zone of {@code /n} is written; as the returning secondary's first pass is
   * about to copy that zone, {@code /x} is renamed over {@code /n} through the primary's mount.
   */
  private void renamedOverDuringCopyOf(String name, int streams) throws Exception {
    pair.rfs =
        TestRfs.withStreams(TestRfs.of(List.of("/srv/app/d0"), Rfs.Async.SECOND, ZONE), streams);
    Path a = pair.a.get(0);
    Files.write(a.resolve("n"), random(1));
    Files.write(a.resolve("x"), random(2));
    Files.setLastModifiedTime(a.resolve("n"), Pair.OLD);
    Files.setLastModifiedTime(a.resolve("x"), Pair.OLD);
    pair.open();
    pair.start();
    pair.assertSameTrees("first reintegration");
    pair.awaitNoDirtyZones();

    pair.node2.stopSecondary(Duration.ofSeconds(5));
    try (RandomAccessFile raf = new RandomAccessFile(a.resolve("n").toFile(), "rw")) {
      raf.seek(2 * ZONE + 100);
      raf.write(new byte[4096]);
    }
    Files.setLastModifiedTime(a.resolve("n"), Pair.OLD);
    AtomicInteger copies = new AtomicInteger();
    AtomicReference<Plan.Copy> last = new AtomicReference<>();
    AtomicInteger renames = new AtomicInteger();
    Reintegrator.beforeCopy =
        c -> {
          if (!c.path().equals(name)) {
            return;
          }
          last.set(c);
          if (copies.getAndIncrement() == 0) {
            assertTrue("planned from the zone written: " + c, c.zones() != null);
            Files.move(a.resolve("x"), a.resolve("n"), StandardCopyOption.REPLACE_EXISTING);
            renames.incrementAndGet();
          }
        };
    pair.one.clear();
    pair.two.clear();
    pair.node2.startSecondary("");
    pair.two.await(e -> e.startsWith("reintegrated "), 60_000);
    assertTrue(pair.two.events().toString(), pair.two.events().contains("reintegrated true"));
    assertEquals("renamed once, during the copy", 1, renames.get());
    assertEquals("copied again, whole: " + last.get(), null, last.get().zones());
    pair.assertSameTrees("x renamed over n during its copy");
    pair.assertStillSynchronous("after the rename");
  }
}
