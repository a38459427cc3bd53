package org.bulwark.fuse.internal;

import static org.bulwark.fuse.internal.TreeCalls.EEXIST;
import static org.bulwark.fuse.internal.TreeCalls.ENODATA;
import static org.bulwark.fuse.internal.TreeCalls.EOPNOTSUPP;
import static org.bulwark.fuse.internal.TreeCalls.O_CREAT;
import static org.bulwark.fuse.internal.TreeCalls.O_WRONLY;
import static org.bulwark.fuse.internal.TreeSentinel.assertErrno;
import static org.bulwark.fuse.internal.TreeSentinel.read;
import static org.bulwark.fuse.internal.TreeSentinel.write;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.bulwark.api.fs.DirEntry;
import org.bulwark.api.fs.FileOperation.SetTimes;
import org.bulwark.api.fs.FileStat;
import org.bulwark.api.fs.FileType;
import org.bulwark.api.fs.LocalTree;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/** The namespace and attribute calls of {@link LocalTree}, each round-tripped. */
public class LocalTreeNamesTest {
  @Rule public final TestDirs dirs = new TestDirs();
  private Path dir;
  private LocalTree tree;

  @Before
  public void open() throws Exception {
    dir = dirs.newDir("localtree-names");
    tree = new ConfinedTrees().open(dir);
  }

  @After
  public void close() throws Exception {
    tree.close();
  }

  @Test
  public void mkdirMknodSymlinkAndListWithTypes() throws Exception {
    tree.mkdir("d", 0777);
    tree.mkdir("/d/e", 0700);
    tree.mknod("d/fifo", 0010600, 0);
    tree.mknod("d/plain", 0640, 0);
    tree.symlink("d/link", "../somewhere/else");
    write(tree, "d/file", "x", 0600);
    assertEquals("mkdir: the umask does not apply", 0777, tree.stat("d").orElseThrow().mode());
    assertEquals(0700, tree.stat("d/e").orElseThrow().mode());
    assertEquals(0600, tree.stat("d/fifo").orElseThrow().mode());
    assertEquals(FileType.REGULAR, tree.stat("d/plain").orElseThrow().type());
    assertEquals("../somewhere/else", tree.readLink("d/link"));
    Map<String, FileType> types =
        tree.list("d").stream().collect(Collectors.toMap(DirEntry::name, DirEntry::type));
    assertEquals(
        Map.of(
            "e", FileType.DIRECTORY,
            "fifo", FileType.FIFO,
            "plain", FileType.REGULAR,
            "link", FileType.SYMLINK,
            "file", FileType.REGULAR),
        types);
    for (DirEntry e : tree.list("/d")) {
      assertEquals(e.name(), tree.stat("d/" + e.name()).orElseThrow().ino(), e.ino());
    }
    assertEquals(Set.of("d"), names(tree.list("")));
    assertErrno("mkdir over a name", EEXIST, () -> tree.mkdir("d/e", 0700));
    tree.rmdir("d/e");
    tree.unlink("d/fifo");
    assertEquals(Set.of("plain", "link", "file"), names(tree.list("d")));
  }

  @Test
  public void mkdirUnderASetGroupIdParentInheritsItAsMkdirDoes() throws Exception {
    tree.mkdir("g", 0755);
    tree.chown("g", -1, 4321);
    tree.chmod("g", 02775);
    tree.mkdir("g/child", 0750);
    FileStat child = tree.stat("g/child").orElseThrow();
    assertEquals(02750, child.mode());
    assertEquals(4321, child.gid());
    tree.mkdir("plain", 02755);
    assertEquals("mkdir(2) ignores set-group-ID in mode", 0755, tree.stat("plain").get().mode());
    tree.mkdir("sticky", 01777);
    assertEquals(01777, tree.stat("sticky").get().mode());
  }

  @Test
  public void aThousandEntryDirectoryIsListedWhole() throws Exception {
    tree.mkdir("many", 0755);
    Set<String> want = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String name = "entry-with-a-longish-name-" + i;
      tree.open("many/" + name, O_CREAT | O_WRONLY, 0600).close();
      want.add(name);
    }
    List<DirEntry> got = tree.list("many");
    assertEquals(1000, got.size());
    assertEquals(want, names(got));
    assertTrue(got.stream().allMatch(e -> e.type() == FileType.REGULAR));
  }

  @Test
  public void hardLinksRenamesWithNoreplaceAndExchange() throws Exception {
    write(tree, "a", "A", 0644);
    write(tree, "b", "B", 0644);
    tree.link("a", "a2");
    FileStat a = tree.stat("a").orElseThrow();
    assertEquals(2, a.nlink());
    assertEquals(a.ino(), tree.stat("a2").orElseThrow().ino());

    assertErrno("NOREPLACE", EEXIST, () -> tree.rename("a", "b", 1));
    assertEquals("B", read(tree, "b"));
    tree.rename("a", "b", 2);
    assertEquals("A", read(tree, "b"));
    assertEquals("B", read(tree, "a"));
    tree.mkdir("d", 0755);
    tree.rename("b", "d/moved", 1);
    assertEquals("A", read(tree, "d/moved"));
    assertEquals(Optional.empty(), tree.stat("b"));
    tree.rename("d/moved", "a", 0);
    assertEquals("A", read(tree, "a"));
    assertEquals(2, tree.stat("a2").orElseThrow().nlink());
  }

  @Test
  public void chmodSetsExactBitsAndRefusesSymlinks() throws Exception {
    write(tree, "f", "x", 0600);
    tree.mkdir("d", 0700);
    tree.symlink("l", "f");
    for (int mode : new int[] {02755, 04711, 01777, 07777, 0, 0644}) {
      tree.chmod("f", mode);
      assertEquals("file 0" + Integer.toOctalString(mode), mode, tree.stat("f").get().mode());
      tree.chmod("d", mode);
      assertEquals("dir 0" + Integer.toOctalString(mode), mode, tree.stat("d").get().mode());
    }
    tree.chmod("", 0751);
    assertEquals(0751, tree.stat("/").get().mode());
    assertErrno("symbolic links have no mode", EOPNOTSUPP, () -> tree.chmod("l", 0600));
    assertEquals("the target untouched", 0644, tree.stat("f").get().mode());
  }

  @Test
  public void chownActsOnTheNodeItselfAndMinusOneKeeps() throws Exception {
    write(tree, "f", "x", 0600);
    tree.symlink("l", "f");
    tree.chown("f", 1234, 5678);
    FileStat st = tree.stat("f").orElseThrow();
    assertEquals(1234, st.uid());
    assertEquals(5678, st.gid());
    tree.chown("f", -1, 42);
    assertEquals(1234, tree.stat("f").get().uid());
    assertEquals(42, tree.stat("f").get().gid());
    tree.chown("l", 777, 888);
    assertEquals(777, tree.stat("l").get().uid());
    assertEquals("not the target", 1234, tree.stat("f").get().uid());
    tree.chown("/", 99, 98);
    assertEquals(99, tree.stat("").get().uid());
  }

  @Test
  public void setTimesKeepsNanosecondsAndHonoursNowAndOmit() throws Exception {
    write(tree, "f", "x", 0600);
    long atime = 1_600_000_000_123_456_789L;
    long mtime = 1_500_000_000_987_654_321L;
    tree.setTimes("f", atime, mtime);
    FileStat st = tree.stat("f").orElseThrow();
    assertEquals(atime, st.atimeNanos());
    assertEquals(mtime, st.mtimeNanos());
    assertEquals(
        FileTime.from(Instant.ofEpochSecond(1_500_000_000L, 987_654_321L)),
        Files.getLastModifiedTime(dir.resolve("f")));

    tree.setTimes("f", SetTimes.OMIT, -1_000_000_001L);
    assertEquals("OMIT", atime, tree.stat("f").get().atimeNanos());
    assertEquals("before 1970", -1_000_000_001L, tree.stat("f").get().mtimeNanos());

    long before = Instant.now().minusSeconds(5).toEpochMilli() * 1_000_000L;
    tree.setTimes("f", SetTimes.NOW, SetTimes.OMIT);
    assertTrue("NOW", tree.stat("f").get().atimeNanos() > before);
    assertEquals("OMIT", -1_000_000_001L, tree.stat("f").get().mtimeNanos());

    tree.symlink("l", "f");
    tree.setTimes("l", 5_000_000_007L, 6_000_000_008L);
    assertEquals(6_000_000_008L, tree.stat("l").get().mtimeNanos());
    assertEquals("not the target", -1_000_000_001L, tree.stat("f").get().mtimeNanos());
    tree.setTimes("", 7L, 8L);
    assertEquals(8L, tree.stat("/").get().mtimeNanos());
  }

  @Test
  public void userXattrsSetGetListRemove() throws Exception {
    write(tree, "f", "x", 0600);
    byte[] v = {0, 1, 2, (byte) 0xff};
    tree.setXattr("f", "user.a", v, 1);
    assertErrno(
        "XATTR_CREATE on an existing one", EEXIST, () -> tree.setXattr("f", "user.a", v, 1));
    assertErrno(
        "XATTR_REPLACE of a missing one", ENODATA, () -> tree.setXattr("f", "user.b", v, 2));
    tree.setXattr("f", "user.b", new byte[0], 0);
    tree.setXattr("f", "user.a", new byte[] {9}, 2);
    assertTrue(tree.xattrNames("f").containsAll(List.of("user.a", "user.b")));
    assertArrayEquals(new byte[] {9}, tree.xattr("f", "user.a").orElseThrow());
    assertArrayEquals(new byte[0], tree.xattr("f", "user.b").orElseThrow());
    tree.removeXattr("f", "user.a");
    assertEquals(Optional.empty(), tree.xattr("f", "user.a"));
    assertFalse(tree.xattrNames("f").contains("user.a"));
    assertErrno("remove a missing one", ENODATA, () -> tree.removeXattr("f", "user.a"));

    byte[] big = new byte[4000];
    tree.setXattr("/", "user.root", big, 0);
    assertArrayEquals(big, tree.xattr("", "user.root").orElseThrow());
    assertTrue(tree.xattrNames("").contains("user.root"));
    tree.mkdir("d", 0755);
    tree.setXattr("d", "user.dir", v, 0);
    assertArrayEquals(v, tree.xattr("d", "user.dir").orElseThrow());
  }

  @Test
  public void statFieldsMatchTheKernelsAndMissingIsEmpty() throws Exception {
    write(tree, "f", "12345", 0640);
    tree.link("f", "f2");
    tree.chown("f", 1000, 2000);
    tree.mknod("null", 0020600, TreeStat.makedev(1, 3));
    FileStat st = tree.stat("f").orElseThrow();
    Map<String, Object> a =
        Files.readAttributes(dir.resolve("f"), "unix:*", LinkOption.NOFOLLOW_LINKS);
    assertEquals(FileType.REGULAR, st.type());
    assertEquals(0640, st.mode());
    assertEquals(0100640, st.fullMode());
    assertEquals(1000, st.uid());
    assertEquals(2000, st.gid());
    assertEquals(5, st.size());
    assertEquals(2, st.nlink());
    assertEquals(a.get("ino"), st.ino());
    assertEquals(a.get("dev"), st.dev());
    assertEquals(((FileTime) a.get("lastModifiedTime")).toInstant(), instant(st.mtimeNanos()));
    assertEquals(((FileTime) a.get("lastAccessTime")).toInstant(), instant(st.atimeNanos()));
    FileStat dev = tree.stat("null").orElseThrow();
    assertEquals(FileType.CHARACTER_DEVICE, dev.type());
    assertEquals(TreeStat.makedev(1, 3), dev.rdev());
    assertEquals(
        Files.getAttribute(dir.resolve("null"), "unix:rdev", LinkOption.NOFOLLOW_LINKS),
        dev.rdev());
    FileStat root = tree.stat("").orElseThrow();
    assertEquals(FileType.DIRECTORY, root.type());
    assertEquals(Files.getAttribute(dir, "unix:ino"), root.ino());
    assertEquals(Optional.empty(), tree.stat("missing"));
    assertEquals(Optional.empty(), tree.stat("missing/below"));
    assertErrno("a file as a directory", TreeCalls.ENOTDIR, () -> tree.stat("f/below"));
  }

  @Test
  public void syncSyncAllAndSpace() throws Exception {
    write(tree, "f", "x", 0600);
    tree.mkdir("d", 0755);
    tree.sync("f", false);
    tree.sync("f", true);
    tree.sync("d", false);
    tree.sync("", false);
    tree.syncAll();
    long[] space = tree.space();
    assertEquals(Files.getFileStore(dir).getTotalSpace(), space[1]);
    assertTrue(space[0] > 0 && space[0] <= space[1]);
  }

  private static Set<String> names(List<DirEntry> entries) {
    return entries.stream().map(DirEntry::name).collect(Collectors.toSet());
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }
}
