package org.bulwark.fuse.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bulwark.api.fs.MountOptions;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/** Targeted POSIX cases through a mount (issue 6, Tests §2). */
public class PosixCasesTest {
  @Rule public final TestDirs dirs = new TestDirs();
  private Path mnt;

  @Before
  public void mount() throws Exception {
    mnt = dirs.newDir("posix");
    Sys.C.chmod(mnt.toString(), 0755); // a non-root caller must be able to enter it
    dirs.mount(mnt, MountOptions.defaults());
  }

  private String p(String name) {
    return mnt.resolve(name).toString();
  }

  private static int create(String path, String content) {
    int fd = Sys.C.open(path, Sys.O_CREAT | Sys.O_RDWR | Sys.O_TRUNC, 0644);
    assertTrue("open " + path + " errno " + Sys.errno(), fd >= 0);
    byte[] b = content.getBytes(UTF_8);
    assertEquals(b.length, Sys.C.pwrite(fd, b, b.length, 0));
    return fd;
  }

  private static String readAt(int fd, int len, long off) {
    byte[] b = new byte[len];
    long n = Sys.C.pread(fd, b, len, off);
    assertTrue("pread errno " + Sys.errno(), n >= 0);
    return new String(b, 0, (int) n, UTF_8);
  }

  @Test
  public void renameOverAnOpenFileKeepsTheOpenDescriptorOnTheOldContent() {
    int old = create(p("target"), "old content");
    Sys.C.close(create(p("new"), "new content"));
    assertEquals(0, Sys.C.renameat2(Sys.AT_FDCWD, p("new"), Sys.AT_FDCWD, p("target"), 0));
    assertEquals("old content", readAt(old, 64, 0));
    int fresh = Sys.C.open(p("target"), Sys.O_RDONLY, 0);
    assertEquals("new content", readAt(fresh, 64, 0));
    Sys.C.close(fresh);
    Sys.C.close(old);
  }

  @Test
  public void anUnlinkedOpenFileStaysReadableAndWritable() {
    int fd = create(p("gone"), "still here");
    assertEquals(0, Sys.C.unlink(p("gone")));
    assertEquals(null, Sys.lstat(p("gone")));
    assertEquals(Sys.ENOENT, Sys.errno());
    assertEquals("still here", readAt(fd, 64, 0));
    byte[] more = "!".getBytes(UTF_8);
    assertEquals(1, Sys.C.pwrite(fd, more, 1, 10));
    assertEquals("still here!", readAt(fd, 64, 0));
    assertEquals(0, Sys.C.ftruncate(fd, 5));
    assertEquals("still", readAt(fd, 64, 0));
    assertEquals(0, Sys.C.close(fd));
  }

  @Test
  public void twoAppendWritersNeverOverwriteEachOther() throws Exception {
    Sys.C.close(create(p("log"), ""));
    int a = Sys.C.open(p("log"), Sys.O_WRONLY | Sys.O_APPEND, 0);
    int b = Sys.C.open(p("log"), Sys.O_WRONLY | Sys.O_APPEND, 0);
    byte[] la = "aaaa\n".getBytes(UTF_8);
    byte[] lb = "bbbb\n".getBytes(UTF_8);
    for (int i = 0; i < 50; i++) {
      assertEquals(5, Sys.C.pwrite(a, la, 5, 0));
      assertEquals(5, Sys.C.pwrite(b, lb, 5, 0));
    }
    Sys.C.close(a);
    Sys.C.close(b);
    String all = Files.readString(mnt.resolve("log"));
    assertEquals(500, all.length());
    assertEquals(50, all.split("aaaa\n", -1).length - 1);
    assertEquals(50, all.split("bbbb\n", -1).length - 1);
  }

  @Test
  public void holesReadAsZerosAndFilesGrowPastFourGiB() {
    int fd = create(p("sparse"), "head");
    long far = 5L * 1024 * 1024 * 1024;
    byte[] tail = "tail".getBytes(UTF_8);
    assertEquals(4, Sys.C.pwrite(fd, tail, 4, far));
    assertEquals(far + 4, Sys.lstat(p("sparse")).size());
    byte[] hole = new byte[4096];
    assertEquals(4096, Sys.C.pread(fd, hole, 4096, 1L << 20));
    assertArrayEquals(new byte[4096], hole);
    assertEquals("tail", readAt(fd, 4, far));
    // SEEK_DATA (3) from the middle of the hole finds the tail's block, not the middle.
    long data = Sys.C.lseek(fd, 1L << 20, 3);
    assertTrue("SEEK_DATA went to " + data, data > (1L << 20) && data <= far);
    // Punching a hole (PUNCH_HOLE | KEEP_SIZE) keeps the size and zeroes the range.
    assertEquals(0, Sys.C.fallocate(fd, 3, 0, 4));
    assertEquals(far + 4, Sys.lstat(p("sparse")).size());
    assertArrayEquals(new byte[4], readAt(fd, 4, 0).getBytes(UTF_8));
    Sys.C.close(fd);
  }

  @Test
  public void hardLinksShareContentAndCountLinks() {
    Sys.C.close(create(p("one"), "shared"));
    assertEquals(0, Sys.C.link(p("one"), p("two")));
    assertEquals(2, Sys.lstat(p("one")).nlink());
    int fd = Sys.C.open(p("two"), Sys.O_WRONLY, 0);
    assertEquals(3, Sys.C.pwrite(fd, "SHA".getBytes(UTF_8), 3, 0));
    Sys.C.close(fd);
    int r = Sys.C.open(p("one"), Sys.O_RDONLY, 0);
    assertEquals("SHAred", readAt(r, 64, 0));
    Sys.C.close(r);
    assertEquals(0, Sys.C.unlink(p("one")));
    assertEquals(1, Sys.lstat(p("two")).nlink());
    assertEquals(6, Sys.lstat(p("two")).size());
  }

  @Test
  public void symlinkLoopsFailWithEloop() {
    assertEquals(0, Sys.C.symlink("b", p("a")));
    assertEquals(0, Sys.C.symlink("a", p("b")));
    assertEquals(-1, Sys.C.open(p("a"), Sys.O_RDONLY, 0));
    assertEquals(Sys.ELOOP, Sys.errno());
    byte[] buf = new byte[16];
    assertEquals(1, Sys.C.readlink(p("a"), buf, 16));
    assertEquals('b', buf[0]);
  }

  @Test
  public void renameNoReplaceAndExchange() {
    Sys.C.close(create(p("x"), "X"));
    Sys.C.close(create(p("y"), "Y"));
    assertEquals(-1, Sys.C.renameat2(Sys.AT_FDCWD, p("x"), Sys.AT_FDCWD, p("y"), 1));
    assertEquals(17, Sys.errno());
    assertEquals(0, Sys.C.renameat2(Sys.AT_FDCWD, p("x"), Sys.AT_FDCWD, p("y"), 2));
    int fd = Sys.C.open(p("x"), Sys.O_RDONLY, 0);
    assertEquals("Y", readAt(fd, 8, 0));
    Sys.C.close(fd);
  }

  @Test
  public void fifosAndXattrsPassThrough() {
    assertEquals(0, Sys.C.mknod(p("fifo"), 0010644, 0));
    assertEquals(0010000, Sys.lstat(p("fifo")).mode() & 0170000);
    Sys.C.close(create(p("attr"), ""));
    byte[] v = "value".getBytes(UTF_8);
    assertEquals(0, Sys.C.setxattr(p("attr"), "user.k", v, v.length, 0));
    byte[] got = new byte[16];
    assertEquals(5, Sys.C.getxattr(p("attr"), "user.k", got, 16));
    assertEquals(-1, Sys.C.getxattr(p("attr"), "user.none", got, 16));
    assertEquals(61, Sys.errno()); // ENODATA, as the file system underneath says
  }

  @Test
  public void aNonRootCallerIsRefusedWhatItMayNotDo() throws Exception {
    Files.writeString(mnt.resolve("secret"), "s");
    assertEquals(0, Sys.C.chmod(p("secret"), 0600));
    assertEquals(0, Sys.C.mkdir(p("open"), 0777));
    assertEquals(0, Sys.C.chmod(p("open"), 0777));
    assertEquals(1, asNobody("cat " + p("secret")));
    assertEquals(1, asNobody("touch " + p("new-in-root")));
    assertEquals(0, asNobody("umask 002; echo hi > " + p("open/mine")));
    Sys.Stat mine = Sys.lstat(p("open/mine"));
    assertEquals(65534, mine.uid());
    assertEquals(0100664, mine.mode());
    assertEquals(1, asNobody("chmod 777 " + p("secret")));
  }

  private static int asNobody(String command) throws Exception {
    Process p =
        new ProcessBuilder(
                "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c", command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    int rc = p.waitFor();
    if (rc != 0) {
      assertTrue(
          command + ": " + out, out.contains("Permission denied") || out.contains("not permitted"));
    }
    return rc == 0 ? 0 : 1;
  }
}
