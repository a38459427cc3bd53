package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.bulwark.api.fs.Caller;
import org.bulwark.api.fs.FileOperation;
import org.bulwark.api.fs.LocalTree;
import org.bulwark.fuse.internal.ConfinedTrees;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * What the write path records for a directory renamed ({@link Tracker#before}, {@link
 * Tracker#named}), on a real tree: the directory's inode whole, durably, standing for its subtree,
 * which a pass then copies whole.
 */
public class TrackerDirectoryRenameTest {
  private static final long ZONE = 1 << 20;
  private static final Caller APP = new Caller(1, 0, 0);

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private Path root;
  private Path record;
  private ZoneLog log;
  private LocalTree tree;
  private Tracker tracker;

  /** {@code /d1/f}, {@code /d1/s/g} and the same in {@code /d2}. */
  @Before
  public void open() throws Exception {
    root = tmp.newFolder("t").toPath();
    for (String d : List.of("d1", "d2")) {
      Files.createDirectories(root.resolve(d).resolve("s"));
      Files.writeString(root.resolve(d).resolve("f"), d);
      Files.writeString(root.resolve(d).resolve("s/g"), d);
    }
    tree = new ConfinedTrees().open(root);
    record = tmp.getRoot().toPath().resolve("zones.log");
    log = ZoneLog.open(record);
    tracker = new Tracker(log, List.of(tree), ZONE);
  }

  @After
  public void close() throws Exception {
    tree.close();
    log.close();
  }

  private ZoneLog.Zone whole(String path) throws Exception {
    return new ZoneLog.Zone(0, (Long) Files.getAttribute(root.resolve(path), "unix:ino"), -1);
  }

  @Test
  public void aDirectoryRenamedIsRecordedWholeDurably() throws Exception {
    ZoneLog.Zone d1 = whole("d1");
    tracker.before(0, new FileOperation.Rename(APP, "/d1", "/d2", 0));
    assertEquals(List.of(d1), log.all());
    log.close();
    log = ZoneLog.open(record);
    assertEquals("on disk before the rename runs", List.of(d1), log.all());
  }

  @Test
  public void bothDirectoriesOfAnExchangeAreRecordedWhole() throws Exception {
    tracker.before(0, new FileOperation.Rename(APP, "/d1", "/d2", 2));
    assertEquals(Set.of(whole("d1"), whole("d2")), Set.copyOf(log.all()));
  }

  /**
   * The record as a reintegration reads it, after {@code rm -r d2; mv d1 d2}: named by a walk of
   * the tree, the directory is whole under its new name and every file beneath it is to be copied
   * whole.
   */
  @Test
  public void aPassNamesTheDirectoryByItsNewNameAndCopiesItsFilesWhole() throws Exception {
    long mark = log.advance();
    for (String p : List.of("d2/s/g", "d2/s", "d2/f", "d2")) {
      Files.delete(root.resolve(p));
    }
    tracker.before(0, new FileOperation.Rename(APP, "/d1", "/d2", 0));
    Files.move(root.resolve("d1"), root.resolve("d2"));
    List<Msg.Entry> walked = TreeWalk.walk(tree, 0, new Exclusions(List.of()));
    Dirt.Snapshot dirt =
        Tracker.snapshot(log.dirtyBetween(mark, log.advance()), Tracker.names(walked), ZONE);
    assertEquals(Set.of("0:/d2"), dirt.whole());
    assertEquals(
        Set.of("0:" + whole("d2/f").ino(), "0:" + whole("d2/s/g").ino()),
        Plan.inWholeTrees(walked, dirt));
  }

  /** Spec C.12: with an epoch, a directory renamed is whole in the epoch too. */
  @Test
  public void aDirectoryRenamedAfterTheExternalMarkIsWholeInTheEpoch() throws Exception {
    try (ZoneLog epoch = ZoneLog.open(tmp.getRoot().toPath().resolve("external.log"), 0)) {
      tracker.epoch(epoch);
      FileOperation.Rename rename = new FileOperation.Rename(APP, "/d1", "/d3", 0);
      tracker.before(0, rename);
      Files.move(root.resolve("d1"), root.resolve("d3"));
      tracker.named(0, rename);
      assertEquals(List.of(whole("d3")), epoch.all());
      assertEquals("in the main record, by inode", List.of(whole("d3")), log.all());
    }
  }
}
