package org.bulwark.fuse.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.bulwark.fuse.internal.TreeCalls.EBUSY;
import static org.bulwark.fuse.internal.TreeCalls.EEXIST;
import static org.bulwark.fuse.internal.TreeCalls.EINVAL;
import static org.bulwark.fuse.internal.TreeCalls.EISDIR;
import static org.bulwark.fuse.internal.TreeCalls.ELOOP;
import static org.bulwark.fuse.internal.TreeCalls.ENODATA;
import static org.bulwark.fuse.internal.TreeCalls.ENOENT;
import static org.bulwark.fuse.internal.TreeCalls.ENOTDIR;
import static org.bulwark.fuse.internal.TreeCalls.EOPNOTSUPP;
import static org.bulwark.fuse.internal.TreeCalls.EPERM;
import static org.bulwark.fuse.internal.TreeCalls.O_CREAT;
import static org.bulwark.fuse.internal.TreeCalls.O_EXCL;
import static org.bulwark.fuse.internal.TreeCalls.O_RDONLY;
import static org.bulwark.fuse.internal.TreeCalls.O_RDWR;
import static org.bulwark.fuse.internal.TreeCalls.O_TRUNC;
import static org.bulwark.fuse.internal.TreeCalls.O_WRONLY;
import static org.bulwark.fuse.internal.TreeSentinel.errno;
import static org.bulwark.fuse.internal.TreeSentinel.read;
import static org.bulwark.fuse.internal.TreeSentinel.write;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.fs.ErrnoException;
import org.bulwark.api.fs.FileType;
import org.bulwark.api.fs.LocalTree;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * Hostile paths against a {@link LocalTree}: every call, with paths that climb out, look absolute,
 * carry NUL or empty components, or go through symbolic links planted in the tree (to the outside,
 * to "/", to ".."), through /proc's magic links, or at the root itself. After each call a sentinel
 * directory beside the tree, and the tree's parent, must be byte for byte what they were, times and
 * owners included.
 */
public class LocalTreeHostileTest {
  @Rule public final TestDirs dirs = new TestDirs();
  private Path outer;
  private Path treeDir;
  private String outside;
  private TreeSentinel sentinel;
  private LocalTree tree;

  /** One call of the API on a hostile path; "mine" is a legitimate file of the tree. */
  private record Op(String name, PathCall call) {}

  private interface PathCall {
    void run(LocalTree t, String path) throws IOException;
  }

  /** mount(2) for the /proc case. */
  interface Mounts extends Library {
    int mount(String source, String target, String type, long flags, String data);

    int umount2(String target, int flags);
  }

  private static final Mounts MOUNTS = Native.load("c", Mounts.class);

  private static final List<Op> OPS =
      List.of(
          new Op("stat", (t, p) -> nothingIsENOENT(t.stat(p))),
          new Op("list", LocalTree::list),
          new Op("readLink", LocalTree::readLink),
          new Op("xattrNames", LocalTree::xattrNames),
          new Op("xattr", (t, p) -> nothingIsENODATA(t.xattr(p, "user.k"))),
          new Op("open read", (t, p) -> t.open(p, O_RDONLY, 0).close()),
          new Op("open write", (t, p) -> writeThrough(t, p, O_WRONLY)),
          new Op("open create", (t, p) -> writeThrough(t, p, O_CREAT | O_RDWR)),
          new Op("open trunc", (t, p) -> writeThrough(t, p, O_WRONLY | O_TRUNC)),
          new Op("mknod", (t, p) -> t.mknod(p, 0010666, 0)),
          new Op("mkdir", (t, p) -> t.mkdir(p, 0777)),
          new Op("unlink", LocalTree::unlink),
          new Op("rmdir", LocalTree::rmdir),
          new Op("rename from", (t, p) -> t.rename(p, "fresh", 0)),
          new Op("rename to", (t, p) -> t.rename("mine", p, 0)),
          new Op("rename exchange", (t, p) -> t.rename("mine", p, 2)),
          new Op("link from", (t, p) -> t.link(p, "fresh")),
          new Op("link to", (t, p) -> t.link("mine", p)),
          new Op("symlink", (t, p) -> t.symlink(p, "x")),
          new Op("chmod", (t, p) -> t.chmod(p, 0777)),
          new Op("chown", (t, p) -> t.chown(p, 1234, 1234)),
          new Op("setTimes", (t, p) -> t.setTimes(p, 1, 2)),
          new Op("setXattr", (t, p) -> t.setXattr(p, "user.k", new byte[] {6}, 0)),
          new Op("removeXattr", (t, p) -> t.removeXattr(p, "user.k")),
          new Op("sync", (t, p) -> t.sync(p, false)),
          new Op("sync data", (t, p) -> t.sync(p, true)));

  @Before
  public void plant() throws Exception {
    outer = dirs.newDir("localtree-hostile");
    treeDir = Files.createDirectory(outer.resolve("tree"));
    Path out = outer.resolve("outside");
    outside = out.toString();
    sentinel = new TreeSentinel(outer, out, treeDir);
    tree = new ConfinedTrees().open(treeDir);
    rebuild();
  }

  @After
  public void close() throws Exception {
    tree.close();
  }

  /** The tree's own files and the links planted in it. */
  private void rebuild() throws IOException {
    TestDirs.deleteContents(treeDir);
    Files.writeString(treeDir.resolve("mine"), "mine");
    Files.createDirectory(treeDir.resolve("d"));
    Files.createSymbolicLink(treeDir.resolve("d/inner"), Path.of("../../outside/sub"));
    Files.createSymbolicLink(treeDir.resolve("lnk"), Path.of(outside));
    Files.createSymbolicLink(treeDir.resolve("rel"), Path.of("../outside"));
    Files.createSymbolicLink(treeDir.resolve("lf"), Path.of(outside, "secret"));
    Files.createSymbolicLink(treeDir.resolve("slash"), Path.of("/"));
    Files.createSymbolicLink(treeDir.resolve("dotdot"), Path.of(".."));
  }

  private void everyOpFails(int expected, List<String> paths) throws IOException {
    for (String path : paths) {
      for (Op op : OPS) {
        String what = op.name() + " " + TreePath.show(path);
        int got = errno(() -> op.call().run(tree, path));
        sentinel.assertUnchanged(what);
        assertEquals(what, expected, got);
      }
    }
    assertEquals("mine", read(tree, "mine"));
  }

  @Test
  public void climbingEmptyComponentsAndNulAreRefusedBeforeAnySystemCall() throws Exception {
    everyOpFails(
        EINVAL,
        List.of(
            "..",
            "/..",
            "../outside/secret",
            "a/../../outside/secret",
            "d/../../outside/secret",
            "lnk/../mine",
            "./mine",
            "mine/.",
            ".",
            "d//inner",
            "d/",
            "//mine",
            "/../outside",
            "mine\0",
            "\0",
            "outside\0/../secret",
            "d/inner/.."));
    String bad = "x\ud800y";
    assertEquals("lone surrogate", EINVAL, errno(() -> tree.mkdir(bad, 0700)));
    assertEquals("NUL in a target", EINVAL, errno(() -> tree.symlink("s", "/etc\0x")));
    assertEquals(
        "NUL in a name", EINVAL, errno(() -> tree.setXattr("mine", "user.\0", new byte[0], 0)));
    assertEquals(
        "xattr flags", EINVAL, errno(() -> tree.setXattr("mine", "user.a", new byte[0], 3)));
    assertEquals("rename flags", EINVAL, errno(() -> tree.rename("mine", "x", 4)));
    sentinel.assertUnchanged("invalid arguments");
  }

  @Test
  public void absoluteLookingPathsStayBeneathTheRoot() throws Exception {
    everyOpFails(ENOENT, List.of(outside + "/secret", outside + "/victim/new", outside));
    // The same path created inside the tree is the tree's, not the outside's.
    tree.mkdir(outside.substring(0, outside.indexOf('/', 1)), 0755);
    assertTrue(Files.isDirectory(treeDir.resolve(outside.substring(1, outside.indexOf('/', 1)))));
    sentinel.assertUnchanged("mkdir of an absolute-looking path");
  }

  @Test
  public void aSymbolicLinkAnywhereBeforeTheLastNameFailsWithEloop() throws Exception {
    everyOpFails(
        ELOOP,
        List.of(
            "lnk/secret",
            "/lnk/secret",
            "lnk/victim/new",
            "lnk/sub/deep",
            "rel/secret",
            "rel/new",
            "d/inner/deep",
            "d/inner/new",
            "dotdot/outside/secret",
            "dotdot/new",
            "slash" + outside + "/secret",
            "slash" + outside + "/victim/new",
            "slash/tmp"));
  }

  /**
   * A link as the last name: reading calls see the link, creating calls find the name taken,
   * opening and listing fail with ELOOP, and chown/setTimes/link/rename/unlink act on the link.
   */
  @Test
  public void aSymbolicLinkAsTheLastNameIsActedOnOrRefusedNeverFollowed() throws Exception {
    for (String link : List.of("lf", "lnk", "rel")) {
      String target = Files.readSymbolicLink(treeDir.resolve(link)).toString();
      Object[][] cases = {
        {"stat", 0},
        {"readLink", 0},
        {"xattrNames", 0},
        {"xattr", ENODATA},
        {"list", ENOTDIR},
        {"open read", ELOOP},
        {"open write", ELOOP},
        {"open create", ELOOP},
        {"open trunc", ELOOP},
        {"sync", ELOOP},
        {"sync data", ELOOP},
        {"mknod", EEXIST},
        {"mkdir", EEXIST},
        {"symlink", EEXIST},
        {"rmdir", ENOTDIR},
        {"chmod", EOPNOTSUPP},
        {"setXattr", EPERM},
        {"removeXattr", EPERM},
        {"chown", 0},
        {"setTimes", 0},
        {"link from", 0},
        {"rename from", 0}
      };
      for (Object[] c : cases) {
        Op op = op((String) c[0]);
        String what = op.name() + " on the link " + link;
        int got = errno(() -> op.call().run(tree, link));
        sentinel.assertUnchanged(what);
        assertEquals(what, (int) c[1], got);
        if (op.name().equals("chown")) {
          assertEquals("the link's owner", 1234, tree.stat(link).orElseThrow().uid());
        }
        if (op.name().equals("setTimes")) {
          assertEquals("the link's mtime", 2, tree.stat(link).orElseThrow().mtimeNanos());
        }
        if (op.name().equals("link from")) {
          assertEquals(FileType.SYMLINK, tree.stat("fresh").orElseThrow().type());
          assertEquals(target, tree.readLink("fresh"));
        }
        if (op.name().equals("rename from")) {
          assertEquals(target, tree.readLink("fresh"));
        }
        rebuild();
      }
      assertEquals(
          "create-exclusive over a link",
          EEXIST,
          errno(() -> tree.open(link, O_CREAT | O_EXCL, 0)));
      assertFalse(tree.xattrNames(link).contains("user.k"));
      assertEquals(Optional.empty(), tree.xattr(link, "user.k"));
      tree.unlink(link);
      sentinel.assertUnchanged("unlink of " + link);
      rebuild();
    }
    // "/" at the root: only calls that cannot harm the host if they were wrongly followed.
    assertEquals(ELOOP, errno(() -> tree.open("slash", O_RDONLY, 0)));
    assertEquals(ENOTDIR, errno(() -> tree.list("slash")));
    assertEquals(FileType.SYMLINK, tree.stat("slash").orElseThrow().type());
    assertEquals("/", tree.readLink("slash"));
  }

  /** Calls on the root itself that would move, remove or replace it, as on "/". */
  @Test
  public void theRootCannotBeRenamedRemovedOrReplaced() throws Exception {
    Object[][] cases = {
      {"rename root", EBUSY, (TreeSentinel.Call) () -> tree.rename("", "x", 0)},
      {"rename / exchange", EBUSY, (TreeSentinel.Call) () -> tree.rename("/", "mine", 2)},
      {"rename over root", EBUSY, (TreeSentinel.Call) () -> tree.rename("mine", "/", 0)},
      {"rename noreplace root", EBUSY, (TreeSentinel.Call) () -> tree.rename("mine", "", 1)},
      {"unlink root", EBUSY, (TreeSentinel.Call) () -> tree.unlink("")},
      {"rmdir root", EBUSY, (TreeSentinel.Call) () -> tree.rmdir("/")},
      {"mkdir root", EEXIST, (TreeSentinel.Call) () -> tree.mkdir("", 0777)},
      {"mknod root", EEXIST, (TreeSentinel.Call) () -> tree.mknod("/", 0010600, 0)},
      {"symlink root", EEXIST, (TreeSentinel.Call) () -> tree.symlink("", "/")},
      {"link root", EPERM, (TreeSentinel.Call) () -> tree.link("/", "x")},
      {"link to root", EEXIST, (TreeSentinel.Call) () -> tree.link("mine", "")},
      {"readLink root", EINVAL, (TreeSentinel.Call) () -> tree.readLink("")},
      {"open root", EISDIR, (TreeSentinel.Call) () -> tree.open("/", O_RDWR | O_CREAT, 0)},
    };
    for (Object[] c : cases) {
      int got = errno((TreeSentinel.Call) c[2]);
      sentinel.assertUnchanged((String) c[0]);
      assertEquals((String) c[0], (int) c[1], got);
    }
    assertTrue(Files.isDirectory(treeDir));
    assertEquals("mine", read(tree, "mine"));
  }

  /**
   * The root directory moved away and a link to the outside put in its place: the tree keeps
   * working on the directory it opened, wherever it went.
   */
  @Test
  public void aRootMovedAndReplacedByALinkKeepsTheTreeOnTheDirectoryItOpened() throws Exception {
    Path moved = outer.resolve("moved-tree");
    Files.move(treeDir, moved);
    Files.createSymbolicLink(treeDir, Path.of(outside));
    TreeSentinel inner = new TreeSentinel(Path.of(outside), Path.of(outside, "more"), moved);
    write(tree, "secret", "overwritten?", 0600);
    tree.mkdir("victim", 0777);
    tree.chmod("mine", 0777);
    assertEquals("overwritten?", Files.readString(moved.resolve("secret")));
    assertTrue(Files.isDirectory(moved.resolve("victim")));
    assertEquals("top secret\n", Files.readString(Path.of(outside, "secret")));
    inner.assertUnchanged("calls on a moved root");
    Files.delete(treeDir);
    Files.move(moved, treeDir);
  }

  /**
   * /proc mounted inside the tree: "self" and "thread-self" are symbolic links, "root", "cwd" and
   * "fd/N" magic links that would jump anywhere; none is crossed, and one as the last name is the
   * link itself.
   */
  @Test
  public void procMagicLinksInsideTheTreeAreNeverCrossed() throws Exception {
    Path proc = Files.createDirectory(treeDir.resolve("proc"));
    Assume.assumeTrue("mount -t proc", MOUNTS.mount("proc", proc.toString(), "proc", 0, null) == 0);
    dirs.onCleanup(() -> MOUNTS.umount2(proc.toString(), 2)); // MNT_DETACH
    long pid = ProcessHandle.current().pid();
    int secretFd = TreeCalls.open(TreePath.cString(outside + "/secret"), O_RDONLY, 0);
    int dirFd = TreeCalls.open(TreePath.cString(outside), TreeCalls.O_PATH, 0);
    assertTrue(secretFd >= 0 && dirFd >= 0);
    dirs.onCleanup(() -> TreeCalls.close(secretFd));
    dirs.onCleanup(() -> TreeCalls.close(dirFd));
    String cwdToOutside = Path.of("").toAbsolutePath().relativize(Path.of(outside)).toString();
    everyOpFails(
        ELOOP,
        List.of(
            "proc/self/root" + outside + "/secret",
            "proc/thread-self/root" + outside + "/secret",
            "proc/" + pid + "/root" + outside + "/secret",
            "proc/" + pid + "/root" + outside + "/new",
            "proc/" + pid + "/cwd/" + cwdToOutside + "/secret",
            "proc/" + pid + "/fd/" + dirFd + "/secret",
            "proc/" + pid + "/fd/" + dirFd + "/new"));

    // A magic link to the sentinel file as the last name: never the file itself.
    String magic = "proc/" + pid + "/fd/" + secretFd;
    assertEquals(FileType.SYMLINK, tree.stat(magic).orElseThrow().type());
    for (String name : List.of("open read", "open write", "open trunc", "open create")) {
      assertEquals(name, ELOOP, errno(() -> op(name).call().run(tree, magic)));
    }
    assertEquals(ENOTDIR, errno(() -> tree.list(magic)));
    assertEquals(EOPNOTSUPP, errno(() -> tree.chmod(magic, 0777)));
    assertTrue(errno(() -> nothingIsENODATA(tree.xattr(magic, "user.k"))) != 0);
    for (Op op : OPS) {
      errno(() -> op.call().run(tree, magic)); // whatever /proc answers, the file is untouched
      sentinel.assertUnchanged(op.name() + " on " + magic);
    }
  }

  private static Op op(String name) {
    return OPS.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
  }

  private static void writeThrough(LocalTree t, String path, int flags) throws IOException {
    try (LocalTree.OpenFile f = t.open(path, flags, 0666)) {
      f.write(0, ByteBuffer.wrap("pwned".getBytes(UTF_8)));
      f.truncate(3);
    }
  }

  private static void nothingIsENOENT(Optional<?> o) throws ErrnoException {
    if (o.isEmpty()) {
      throw new ErrnoException(ENOENT, "empty");
    }
  }

  private static void nothingIsENODATA(Optional<?> o) throws ErrnoException {
    if (o.isEmpty()) {
      throw new ErrnoException(ENODATA, "empty");
    }
  }
}
