package org.bulwark.rfs.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.bulwark.api.config.Rfs;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * A file created on the primary while the secondary is away, under a name the secondary holds with
 * another file (removed on the primary, then created again), and grown past its end — by ftruncate,
 * fallocate or a write past it — so that it keeps a hole, and ends with the size and time of the
 * secondary's old file. The primary then restarts: only its durable record is read back, which
 * named the zones written and not the hole's, and nothing in the sizes and times tells the two
 * files apart. Before a new file was recorded whole, the secondary kept its old file's bytes where
 * the primary's file reads zeros (docs/replication.md, "Change tracking"). Each test compares the
 * trees byte for byte after the next reintegration.
 */
public class HoleUnderAnOldNameTest {
  private static final long ZONE = 64 << 10;
  private static final int SIZE = 4 * (int) ZONE;
  private static final int PAGE = 4096;

  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.4.61", "127.0.4.62", 0);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @Test
  public void aNewFileGrownByFtruncate() throws Exception {
    createdAgainThen(
        fd -> {
          Posix.pwriteOrFail(fd, page(), 0);
          Posix.check("ftruncate", Posix.C.ftruncate(fd, SIZE));
        },
        "f created again, a page written, grown by ftruncate");
  }

  @Test
  public void aNewFileWrittenPastItsEnd() throws Exception {
    createdAgainThen(
        fd -> Posix.pwriteOrFail(fd, page(), SIZE - PAGE),
        "f created again, its last page written");
  }

  @Test
  public void aNewFileGrownByFallocate() throws Exception {
    createdAgainThen(
        fd -> Posix.check("fallocate", Posix.C.fallocate(fd, 0, SIZE - PAGE, PAGE)),
        "f created again, its last page allocated");
  }

  /**
   * The same file cut, then grown again, by ftruncate and by a write past its end: the cut names
   * what it removed, the secondary's copy is this file, and the hole is recorded already (this
   * passed before new files were recorded whole).
   */
  @Test
  public void anExistingFileCutThenGrown() throws Exception {
    Path f = replicatedThenAway().resolve("f");
    int fd = Posix.openOrFail(f.toString(), Posix.O_RDWR, 0);
    try {
      Posix.check("ftruncate down", Posix.C.ftruncate(fd, PAGE));
      Posix.check("ftruncate up", Posix.C.ftruncate(fd, SIZE / 2));
      Posix.pwriteOrFail(fd, page(), SIZE - PAGE);
    } finally {
      Posix.C.close(fd);
    }
    restartedThenSame("f cut, grown by ftruncate, then written past its end");
  }

  /**
   * {@code f}, {@link #SIZE} random bytes of time {@link Pair#OLD}, on both nodes and no zone left
   * to name it; then the secondary stopped. Returns the primary's directory (its mount).
   */
  private Path replicatedThenAway() throws Exception {
    Path a = pair.a.get(0);
    byte[] data = new byte[SIZE];
    new Random(1).nextBytes(data);
    Files.write(a.resolve("f"), data);
    Files.setLastModifiedTime(a.resolve("f"), Pair.OLD);
    pair.rfs = TestRfs.of(java.util.List.of("/srv/app/d0"), Rfs.Async.SECOND, ZONE);
    pair.startedThenAway();
    return a;
  }

  /**
   * {@code f} removed and created again while the secondary is away, then {@code grow} on its
   * descriptor; the primary restarted and the trees compared ({@link #restartedThenSame}).
   */
  private void createdAgainThen(java.util.function.IntConsumer grow, String what) throws Exception {
    Path f = replicatedThenAway().resolve("f");
    Files.delete(f);
    int fd = Posix.openOrFail(f.toString(), Posix.O_RDWR | Posix.O_CREAT | Posix.O_EXCL, 0644);
    try {
      grow.accept(fd);
    } finally {
      Posix.C.close(fd);
    }
    restartedThenSame(what);
  }

  private static byte[] page() {
    byte[] b = new byte[PAGE];
    java.util.Arrays.fill(b, (byte) 'n');
    return b;
  }

  /**
   * {@code f} given the old file's time; the primary restarted from its record as it is now; the
   * secondary back: its reintegration ends and the trees are the same byte for byte.
   */
  private void restartedThenSame(String what) throws Exception {
    Path f = pair.a.get(0).resolve("f");
    org.junit.Assert.assertEquals("the old file's size", SIZE, Files.size(f));
    Files.setLastModifiedTime(f, Pair.OLD);
    pair.restartPrimaryFromRecord();
    pair.secondaryBackAndSame(what + ", then the primary restarted");
    pair.awaitNoDirtyZones();
  }
}
