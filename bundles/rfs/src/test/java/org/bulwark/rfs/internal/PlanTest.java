package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;

import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bulwark.api.fs.FileType;
import org.junit.Test;

/** One reintegration pass decided from two trees (spec C.4, C.12): table-driven, no I/O. */
public class PlanTest {
  private static Msg.Entry file(String path, long size, long mtime, long ino, long nlink) {
    return new Msg.Entry(
        0, path, FileType.REGULAR.ordinal(), 0644, 0, 0, size, mtime, ino, nlink, "");
  }

  private static Msg.Entry dir(String path) {
    return new Msg.Entry(0, path, FileType.DIRECTORY.ordinal(), 0755, 0, 0, 0, 1, 1, 2, "");
  }

  private static Msg.Entry dir(String path, long ino) {
    return new Msg.Entry(0, path, FileType.DIRECTORY.ordinal(), 0755, 0, 0, 0, 1, ino, 2, "");
  }

  private static Msg.Entry link(String path, String target) {
    return new Msg.Entry(0, path, FileType.SYMLINK.ordinal(), 0777, 0, 0, 0, 1, 9, 1, target);
  }

  private static List<String> describe(List<Plan.Step> steps) {
    return steps.stream()
        .map(
            s -> {
              if (s instanceof Plan.Send send) {
                return send.change().getClass().getSimpleName() + " " + send.change().path();
              }
              if (s instanceof Plan.Copy c) {
                return "Copy "
                    + c.path()
                    + (c.zones() == null ? " all" : " " + c.zones())
                    + (c.fresh() ? " fresh" : "");
              }
              return "Attrs " + ((Plan.Attrs) s).path();
            })
        .toList();
  }

  @Test
  public void whatDiffersIsRemovedCreatedOrCopied() {
    List<Msg.Entry> primary =
        List.of(
            dir("/"),
            dir("/a"),
            file("/a/new", 10, 5, 2, 1),
            file("/same", 3, 7, 3, 1),
            link("/l", "x"));
    List<Msg.Entry> secondary =
        List.of(
            dir("/"),
            dir("/gone"),
            file("/gone/f", 1, 1, 20, 1),
            file("/same", 3, 7, 21, 1),
            link("/l", "y"));
    assertEquals(
        List.of(
            "RemoveTree /gone", // topmost only: its content goes with it
            "RemoveTree /l", // a link to another target is made again
            "Mkdir /a",
            "Create /a/new",
            "Copy /a/new all fresh",
            "Symlink /l",
            "Attrs /l",
            "Attrs /a",
            "Attrs /"),
        describe(Plan.of(primary, secondary, false, Dirt.Snapshot.EMPTY)));
  }

  @Test
  public void dirtyZonesAreCopiedAloneAndFullCopiesEverything() {
    List<Msg.Entry> both = List.of(dir("/"), file("/db", 100 << 20, 7, 3, 1));
    BitSet zones = new BitSet();
    zones.set(2);
    zones.set(9);
    Dirt.Snapshot dirt = new Dirt.Snapshot(Map.of("0:/db", zones), Set.of(), Set.of(), false);
    assertEquals(List.of("Copy /db {2, 9}", "Attrs /"), describe(Plan.of(both, both, false, dirt)));
    assertEquals(List.of("Copy /db all", "Attrs /"), describe(Plan.of(both, both, true, dirt)));
    assertEquals(List.of("Attrs /"), describe(Plan.of(both, both, false, Dirt.Snapshot.EMPTY)));
  }

  @Test
  public void aFileChangedWithoutARecordIsCopiedWhole() {
    List<Msg.Entry> primary = List.of(dir("/"), file("/f", 10, 8, 3, 1));
    List<Msg.Entry> secondary = List.of(dir("/"), file("/f", 10, 7, 4, 1));
    assertEquals(
        List.of("Copy /f all", "Attrs /"),
        describe(Plan.of(primary, secondary, false, Dirt.Snapshot.EMPTY)));
  }

  @Test
  public void secondforceCopiesWholeTheFilesModifiedSinceTheDateOnly() {
    List<Msg.Entry> primary =
        List.of(dir("/"), file("/old", 10, 100, 3, 1), file("/new", 10, 300, 4, 1));
    List<Msg.Entry> secondary =
        List.of(dir("/"), file("/old", 11, 50, 5, 1), file("/new", 10, 300, 6, 1));
    assertEquals(
        List.of("Attrs /old", "Copy /new all", "Attrs /"),
        describe(Plan.of(primary, secondary, false, Dirt.Snapshot.EMPTY, 200)));
  }

  @Test
  public void hardLinksAreMadeAgainWhenTheirNamesDoNotMatch() {
    List<Msg.Entry> primary = List.of(dir("/"), file("/x", 5, 1, 7, 2), file("/y", 5, 1, 7, 2));
    List<Msg.Entry> matching = List.of(dir("/"), file("/x", 5, 1, 70, 2), file("/y", 5, 1, 70, 2));
    assertEquals(
        List.of("Attrs /"), describe(Plan.of(primary, matching, false, Dirt.Snapshot.EMPTY)));
    List<Msg.Entry> separate = List.of(dir("/"), file("/x", 5, 1, 70, 1), file("/y", 5, 1, 71, 1));
    assertEquals(
        List.of(
            "RemoveTree /x",
            "RemoveTree /y",
            "Create /x",
            "Copy /x all fresh",
            "Link /x",
            "Attrs /"),
        describe(Plan.of(primary, separate, false, Dirt.Snapshot.EMPTY)));
  }

  /**
   * A directory recorded whole (renamed while the secondary was not synchronous): every regular
   * file beneath it, at any depth, is copied whole though its size and time match; a sibling whose
   * name starts alike is not.
   */
  @Test
  public void filesBeneathADirectoryRecordedWholeAreCopiedWhole() {
    List<Msg.Entry> primary =
        List.of(
            dir("/"),
            dir("/d2", 10),
            file("/d2/f", 10, 7, 11, 1),
            dir("/d2/s", 12),
            file("/d2/s/g", 10, 7, 13, 1),
            link("/d2/s/l", "x"),
            dir("/d20", 14),
            file("/d20/f", 10, 7, 15, 1),
            file("/top", 10, 7, 16, 1));
    // the same names, sizes and times, other files
    List<Msg.Entry> secondary =
        primary.stream()
            .map(
                e ->
                    new Msg.Entry(
                        e.dir(),
                        e.path(),
                        e.type(),
                        e.mode(),
                        e.uid(),
                        e.gid(),
                        e.size(),
                        e.mtimeNanos(),
                        e.ino() + 10,
                        e.nlink(),
                        e.target()))
            .toList();
    Dirt.Snapshot dirt = new Dirt.Snapshot(Map.of(), Set.of("0:/d2"), Set.of(), false);
    assertEquals(
        List.of(
            "Copy /d2/f all",
            "Copy /d2/s/g all",
            "Attrs /d20",
            "Attrs /d2/s",
            "Attrs /d2",
            "Attrs /"),
        describe(Plan.of(primary, secondary, false, dirt)));
    assertEquals(Set.of("0:11", "0:13"), Plan.inWholeTrees(primary, dirt));
    assertEquals(Set.of(), Plan.inWholeTrees(primary, Dirt.Snapshot.EMPTY));
  }

  /** A file beneath such a directory with another name outside it: whole, by either name. */
  @Test
  public void aHardLinkBeneathADirectoryRecordedWholeIsCopiedWholeByItsFirstName() {
    List<Msg.Entry> primary =
        List.of(dir("/"), file("/a", 5, 1, 7, 2), dir("/d", 8), file("/d/b", 5, 1, 7, 2));
    List<Msg.Entry> secondary =
        List.of(dir("/"), file("/a", 5, 1, 70, 2), dir("/d", 80), file("/d/b", 5, 1, 70, 2));
    Dirt.Snapshot dirt = new Dirt.Snapshot(Map.of(), Set.of("0:/d"), Set.of(), false);
    assertEquals(
        List.of("Copy /a all", "Attrs /d", "Attrs /"),
        describe(Plan.of(primary, secondary, false, dirt)));
  }
}
