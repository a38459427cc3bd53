package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.bulwark.api.config.Rfs;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * A change of names made while the secondary follows synchronously, which the secondary never
 * applies: it fails (as its disk would) on that change, or on one before it, and the session ends
 * (issue 9). With {@code async="none"} the application's call returns once the primary goes on
 * alone; with {@code async="second"} it returned already, on receipt. Either way the secondary
 * keeps, under the new names, the files it held, of the same sizes and times as the primary's
 * (snapshots restored with their times kept) but other bytes: nothing in a comparison of the trees
 * tells them apart, only the record the rename made before it ran (docs/replication.md, "Change
 * tracking"). Each test reintegrates the secondary and compares the trees byte for byte.
 */
public class SessionEndsUnderARenameTest {
  private static final int SIZE = 64 << 10;
  private static final String[] TREE = {"a", "b", "d1/f", "d1/s/g", "d2/f", "d2/s/g"};

  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.193", "127.0.3.194", 0);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  /** Released once the test's changes returned: the secondary's failure comes after them. */
  private final CountDownLatch changesReturned = new CountDownLatch(1);

  private final AtomicInteger failed = new AtomicInteger();

  @After
  public void noHook() {
    SecondaryHandler.beforeApply = null;
  }

  @Test
  public void aFileRenamedOverAnotherAsyncNone() throws Exception {
    Path a = synchronousThenFailingAt(Rfs.Async.NONE, c -> c instanceof Change.Rename);
    rename(a, "a", "b", 0);
    reintegratedAndSame("mv a b, not applied on the secondary (async none)");
  }

  @Test
  public void aFileRenamedOverAnotherAsyncSecond() throws Exception {
    Path a = synchronousThenFailingAt(Rfs.Async.SECOND, c -> c instanceof Change.Rename);
    rename(a, "a", "b", 0);
    reintegratedAndSame("mv a b, acknowledged on receipt, never applied");
  }

  @Test
  public void twoDirectoriesExchangedAsyncNone() throws Exception {
    Path a = synchronousThenFailingAt(Rfs.Async.NONE, c -> c instanceof Change.Rename);
    rename(a, "d1", "d2", Posix.RENAME_EXCHANGE);
    reintegratedAndSame("d1 and d2 exchanged, not applied on the secondary (async none)");
  }

  /**
   * The record is on disk before the change runs: the primary stopped with the record as it was
   * when the exchange returned (as after a crash: nothing written later), started again, still
   * copies the files.
   */
  @Test
  public void theRecordSurvivesARestartOfThePrimary() throws Exception {
    Path a = synchronousThenFailingAt(Rfs.Async.NONE, c -> c instanceof Change.Rename);
    rename(a, "d1", "d2", Posix.RENAME_EXCHANGE);
    Path asCrashed = pair.recordNow();
    pair.one.await(e -> e.startsWith("degraded "), 30_000);
    pair.restartPrimaryFrom(asCrashed);
    reintegratedAndSame("d1 and d2 exchanged, not applied, then the primary restarted");
  }

  /** The secondary fails on the removal: neither it nor the rename after it is applied there. */
  @Test
  public void aDirectoryRenamedOverOneRemovedAsyncSecond() throws Exception {
    Path a =
        synchronousThenFailingAt(
            Rfs.Async.SECOND, c -> c instanceof Change.Unlink && c.path().startsWith("/d2/"));
    removeTree(a.resolve("d2"));
    Files.move(a.resolve("d1"), a.resolve("d2"));
    reintegratedAndSame("rm -r d2; mv d1 d2, acknowledged on receipt, never applied");
  }

  /** The same for a hard link given the name of a file removed. */
  @Test
  public void aHardLinkGivenTheNameOfAFileRemovedAsyncSecond() throws Exception {
    Path a =
        synchronousThenFailingAt(
            Rfs.Async.SECOND, c -> c instanceof Change.Unlink && c.path().equals("/b"));
    Files.delete(a.resolve("b"));
    Files.createLink(a.resolve("b"), a.resolve("a"));
    reintegratedAndSame("rm b; ln a b, acknowledged on receipt, never applied");
  }

  /**
   * A file created under the name of one removed, written at its start and grown past its end by
   * ftruncate (a hole), with the old file's size and time; the secondary fails on the removal and
   * keeps its old file under the name. The primary restarted from its record, only the new file's
   * record tells the next reintegration that more than the zones written differ.
   */
  @Test
  public void aFileCreatedWithAHoleUnderTheNameOfOneRemovedAsyncSecond() throws Exception {
    pair.rfs = TestRfs.of(List.of("/srv/app/d0"), Rfs.Async.SECOND, SIZE / 4);
    Path a =
        synchronousThenFailingAt(
            Rfs.Async.SECOND, c -> c instanceof Change.Unlink && c.path().equals("/b"));
    Path b = a.resolve("b");
    Files.delete(b);
    int fd = Posix.openOrFail(b.toString(), Posix.O_RDWR | Posix.O_CREAT | Posix.O_EXCL, 0644);
    try {
      Posix.pwriteOrFail(fd, new byte[] {'n', 'e', 'w'}, 0);
      Posix.check("ftruncate", Posix.C.ftruncate(fd, SIZE));
    } finally {
      Posix.C.close(fd);
    }
    Files.setLastModifiedTime(b, Pair.OLD);
    reintegratedAndSame(
        "rm b; b created with a hole, acknowledged on receipt, never applied", true);
  }

  /**
   * Files of the same sizes and times but other bytes under every name of {@link #TREE}, on both
   * nodes, and no zone left to name them; then the secondary's first change that {@code failAt}
   * takes fails there (with {@code async="second"}, only once the test's changes returned). Returns
   * the primary's directory (its mount).
   */
  private Path synchronousThenFailingAt(Rfs.Async async, Predicate<Change> failAt)
      throws Exception {
    Path a = pair.a.get(0);
    long seed = 1;
    for (String name : TREE) {
      Path f = a.resolve(name);
      Files.createDirectories(f.getParent());
      byte[] data = new byte[SIZE];
      new Random(seed++).nextBytes(data);
      Files.write(f, data);
      Files.setLastModifiedTime(f, Pair.OLD);
    }
    pair.async(async);
    pair.open();
    pair.start();
    pair.assertSameTrees("first reintegration");
    pair.awaitNoDirtyZones();
    SecondaryHandler.beforeApply =
        c -> {
          if (failed.get() == 0 && failAt.test(c)) {
            if (async == Rfs.Async.SECOND) {
              try {
                changesReturned.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
            failed.incrementAndGet();
            throw new IOException("the secondary's disk failed (test)");
          }
        };
    return a;
  }

  /**
   * The changes returned: the secondary fails (now, with {@code async="second"}), the primary goes
   * on alone; the secondary back, its reintegration ends and the trees are the same byte for byte.
   */
  private void reintegratedAndSame(String what) throws Exception {
    reintegratedAndSame(what, false);
  }

  /** The same, with the primary restarted from its record in between if {@code restart}. */
  private void reintegratedAndSame(String what, boolean restart) throws Exception {
    changesReturned.countDown();
    pair.one.await(e -> e.startsWith("degraded "), 30_000);
    // the secondary says so after it told the primary: awaited, or it could come after the clear
    // of the events that starts the next session, and be taken for a failure of that one
    pair.two.await(e -> e.startsWith("lost "), 30_000);
    assertEquals("the secondary failed once, on the change chosen", 1, failed.get());
    SecondaryHandler.beforeApply = null;
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    if (restart) {
      pair.restartPrimaryFromRecord();
    }
    pair.secondaryBackAndSame(what);
    pair.awaitNoDirtyZones(); // the renames' records too, once flushed
  }

  /**
   * {@code renameat2(2)} of {@code from} to {@code to} with {@code flags}: one change (with no
   * flag, over {@code to}; {@code Files.move} would remove {@code to} first).
   */
  private static void rename(Path dir, String from, String to, int flags) {
    Posix.check(
        "renameat2 " + flags,
        Posix.C.renameat2(
            Posix.AT_FDCWD,
            dir.resolve(from).toString(),
            Posix.AT_FDCWD,
            dir.resolve(to).toString(),
            flags));
  }

  private static void removeTree(Path top) throws IOException {
    try (Stream<Path> all = Files.walk(top)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
