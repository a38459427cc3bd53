package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * A directory renamed on the primary while the secondary is away (issue 9): the secondary holds, in
 * both {@code d1} and {@code d2}, files of the same sizes and times but other bytes (as snapshots
 * restored with their times kept); the primary then gives {@code d1}'s files the names of {@code
 * d2}'s. No zone names them and nothing in their sizes and times differs: only the rename, recorded
 * whole for the directory's subtree, makes the next reintegration copy them (docs/replication.md,
 * "Change tracking"). Each test compares the trees byte for byte after the reintegration.
 */
public class DirectoryRenameWhileAwayTest {
  private static final int SIZE = 96 << 10;
  private static final String[] FILES = {"f", "s/g", "s/t/h"};

  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1, "127.0.3.110", "127.0.3.111", 0);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  @After
  public void noHook() {
    FileCopy.beforeCopy = null;
  }

  @Test
  public void aDirectoryRenamedOverOneRemovedGivesTheSecondaryItsFiles() throws Exception {
    Path a = replicatedThenAway();
    removeTree(a.resolve("d2"));
    Files.move(a.resolve("d1"), a.resolve("d2"));
    reintegratedAndSame("rm -r d2; mv d1 d2 while the secondary was away");
  }

  @Test
  public void twoDirectoriesExchangedGiveTheSecondaryBoth() throws Exception {
    Path a = replicatedThenAway();
    String d1 = a.resolve("d1").toString();
    String d2 = a.resolve("d2").toString();
    Posix.check(
        "renameat2 exchange",
        Posix.C.renameat2(Posix.AT_FDCWD, d1, Posix.AT_FDCWD, d2, Posix.RENAME_EXCHANGE));
    reintegratedAndSame("d1 and d2 exchanged while the secondary was away");
  }

  @Test
  public void aDirectoryRenamedOverAnEmptyOneGivesTheSecondaryItsFiles() throws Exception {
    Path a = replicatedThenAway();
    removeTree(a.resolve("d2"));
    Files.createDirectory(a.resolve("d2"));
    Files.move(a.resolve("d1"), a.resolve("d2"), StandardCopyOption.REPLACE_EXISTING);
    reintegratedAndSame("d1 renamed over an empty d2 while the secondary was away");
  }

  /** The record is by inode: renamed twice, the directory is still whole under its last name. */
  @Test
  public void aDirectoryRenamedTwiceIsWholeUnderItsLastName() throws Exception {
    Path a = replicatedThenAway();
    Files.move(a.resolve("d1"), a.resolve("x"));
    removeTree(a.resolve("d2"));
    Files.createDirectories(a.resolve("p"));
    Files.move(a.resolve("x"), a.resolve("p/d2"));
    Files.move(a.resolve("p/d2"), a.resolve("d2"));
    reintegratedAndSame("d1 renamed x, p/d2, then d2 over the removed d2");
  }

  /**
   * The secondary back, and a pass under way: as it is about to copy another file, {@code rm -r d2;
   * mv d1 d2}. The pass was planned from the names before; the next one finds {@code d2}'s files of
   * the same sizes and times as the secondary's.
   */
  @Test
  public void aDirectoryRenamedDuringAPassIsCopiedWholeByTheNext() throws Exception {
    Path a = replicatedThenAway();
    Files.writeString(a.resolve("w"), "written while the secondary was away");
    AtomicInteger renames = new AtomicInteger();
    FileCopy.beforeCopy =
        c -> {
          if (c.path().equals("/w") && renames.getAndIncrement() == 0) {
            removeTree(a.resolve("d2"));
            Files.move(a.resolve("d1"), a.resolve("d2"));
          }
        };
    reintegratedAndSame("rm -r d2; mv d1 d2 during the first pass");
    assertEquals("renamed once, during the first pass", 1, renames.get());
  }

  /**
   * The rename's record is on disk when the rename returns: the primary stopped with that record as
   * it was then (as after a crash: nothing written later), started again, still copies the files.
   */
  @Test
  public void theRecordSurvivesARestartOfThePrimary() throws Exception {
    Path a = replicatedThenAway();
    long before = Files.size(pair.record());
    removeTree(a.resolve("d2"));
    Files.move(a.resolve("d1"), a.resolve("d2"));
    Path asCrashed = pair.recordNow();
    assertTrue("recorded when the rename returned", Files.size(asCrashed) > before);
    pair.restartPrimaryFrom(asCrashed);
    reintegratedAndSame("rm -r d2; mv d1 d2 while away, then the primary restarted");
  }

  /**
   * {@code d1} and {@code d2} with the same files, of the same sizes and times but other bytes, on
   * both nodes and no zone left to name them; then the secondary stopped. Returns the primary's
   * directory (its mount).
   */
  private Path replicatedThenAway() throws Exception {
    Path a = pair.a.get(0);
    long seed = 1;
    for (String d : new String[] {"d1", "d2"}) {
      for (String name : FILES) {
        Path f = a.resolve(d).resolve(name);
        Files.createDirectories(f.getParent());
        byte[] data = new byte[SIZE];
        new Random(seed++).nextBytes(data);
        Files.write(f, data);
        Files.setLastModifiedTime(f, Pair.OLD);
      }
    }
    pair.startedThenAway();
    return a;
  }

  /** The secondary back: its reintegration ends, and the trees are the same byte for byte. */
  private void reintegratedAndSame(String what) throws Exception {
    pair.secondaryBackAndSame(what);
    pair.awaitNoDirtyZones(); // the directory's record too, once flushed
  }

  private static void removeTree(Path top) throws java.io.IOException {
    try (Stream<Path> all = Files.walk(top)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
