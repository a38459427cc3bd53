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
 * (docs/replication.md, "Change tracking"). So must a file that another one's name reaches through
 * a directory renamed, before the copy or after its data.
 */
public class RenameDuringReintegrationTest {
  private static final long ZONE = 64 << 10;
  private static final int ZONES = 8;
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.90", "127.0.3.91", 0);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @After
  public void noHook() {
    FileCopy.beforeCopy = null;
    FileCopy.beforeEnd = null;
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
    replicatedThenWrittenAway(a.resolve("n"));
    AtomicInteger copies = new AtomicInteger();
    AtomicReference<Plan.Copy> last = new AtomicReference<>();
    AtomicInteger renames = new AtomicInteger();
    FileCopy.beforeCopy =
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
    reintegrated();
    assertEquals("renamed once, during the copy", 1, renames.get());
    assertEquals("copied again, whole: " + last.get(), null, last.get().zones());
    pair.assertSameTrees("x renamed over n during its copy");
    pair.assertStillSynchronous("after the rename");
  }

  @Test
  public void aDirectoryRenamedBeforeTheCopyMakesItAnotherFileCopiedWhole() throws Exception {
    directoriesRenamedDuringCopy(false);
  }

  @Test
  public void aDirectoryRenamedAfterTheDataMakesBothFilesCopiedWhole() throws Exception {
    directoriesRenamedDuringCopy(true);
  }

  /**
   * {@code /d1/f} and {@code /d2/f}: several zones each, the same size and time, on both nodes;
   * while the secondary is away one zone of {@code /d2/f} is written; as the returning secondary's
   * first pass is about to copy that zone ({@code afterData}: has read it, and is about to end the
   * copy with the size and attributes), {@code d2} is renamed {@code d3} and {@code d1} {@code d2}
   * through the primary's mount: {@code /d2/f} names the other file, of the same size and time as
   * the secondary's stale one.
   */
  private void directoriesRenamedDuringCopy(boolean afterData) throws Exception {
    pair.rfs = TestRfs.of(List.of("/srv/app/d0"), Rfs.Async.SECOND, ZONE);
    Path a = pair.a.get(0);
    for (int i = 1; i <= 2; i++) {
      Path f = Files.createDirectories(a.resolve("d" + i)).resolve("f");
      Files.write(f, random(i));
      Files.setLastModifiedTime(f, Pair.OLD);
    }
    replicatedThenWrittenAway(a.resolve("d2/f"));
    AtomicInteger copies = new AtomicInteger();
    AtomicReference<Plan.Copy> last = new AtomicReference<>();
    AtomicInteger renames = new AtomicInteger();
    FileCopy.CopyHook rename =
        c -> {
          if (c.path().equals("/d2/f") && copies.getAndIncrement() == 0) {
            assertTrue("planned from the zone written: " + c, c.zones() != null);
            Files.move(a.resolve("d2"), a.resolve("d3"));
            Files.move(a.resolve("d1"), a.resolve("d2"));
            renames.incrementAndGet();
          }
        };
    FileCopy.beforeCopy =
        c -> {
          if (c.path().equals("/d2/f")) {
            last.set(c);
          }
          if (!afterData) {
            rename.before(c);
          }
        };
    if (afterData) {
      FileCopy.beforeEnd = rename;
    }
    reintegrated();
    assertEquals("renamed once, during the copy", 1, renames.get());
    pair.assertSameTrees("d2 renamed d3, d1 renamed d2 during the copy of d2/f");
    assertEquals("/d2/f copied again, whole: " + last.get(), null, last.get().zones());
    pair.assertStillSynchronous("after the renames");
  }

  /**
   * Both nodes in sync, then the secondary away while one zone of {@code written} is written (its
   * time kept).
   */
  private void replicatedThenWrittenAway(Path written) throws Exception {
    pair.open();
    pair.start();
    pair.assertSameTrees("first reintegration");
    pair.awaitNoDirtyZones();
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    try (RandomAccessFile raf = new RandomAccessFile(written.toFile(), "rw")) {
      raf.seek(2 * ZONE + 100);
      raf.write(new byte[4096]);
    }
    Files.setLastModifiedTime(written, Pair.OLD);
  }

  /** The secondary back, and its reintegration done. */
  private void reintegrated() throws Exception {
    pair.one.clear();
    pair.two.clear();
    pair.node2.startSecondary("");
    pair.two.await(e -> e.startsWith("reintegrated "), 60_000);
    assertTrue(pair.two.events().toString(), pair.two.events().contains("reintegrated true"));
  }
}
