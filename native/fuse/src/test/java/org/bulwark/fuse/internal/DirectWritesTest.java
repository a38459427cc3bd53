package org.bulwark.fuse.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.sun.jna.Memory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bulwark.api.fs.FileInterceptor;
import org.bulwark.api.fs.FileOperation;
import org.bulwark.api.fs.MountOptions;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * Write-only descriptors are served with direct I/O (the kernel's page cache is bypassed): what the
 * kernel does around a write on the page-cache path and leaves to the file system on the direct one
 * (drop file capabilities and set-ID bits, sync an O_SYNC/O_DSYNC write) must come out the same, on
 * the files and in what the interceptor sees.
 */
public class DirectWritesTest {
  @Rule public final TestDirs dirs = new TestDirs();
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private Path mnt;

  @Before
  public void mount() throws Exception {
    mnt = dirs.newDir("direct");
    Sys.C.chmod(mnt.toString(), 0777);
    FileInterceptor sink =
        new FileInterceptor() {
          @Override
          public void before(FileOperation op) {
            seen.add(describe(op));
          }

          @Override
          public void after(FileOperation op, int errno) {}
        };
    dirs.mount(mnt, MountOptions.defaults().withInterceptor(sink));
  }

  /** The operation without its caller and data, and without the file's name. */
  private static String describe(FileOperation op) {
    if (op instanceof FileOperation.Write w) {
      return "Write@" + w.offset() + "+" + w.data().remaining();
    } else if (op instanceof FileOperation.Chmod c) {
      return "Chmod " + Integer.toOctalString(c.mode());
    } else if (op instanceof FileOperation.RemoveXattr x) {
      return "RemoveXattr " + x.name();
    } else if (op instanceof FileOperation.Sync s) {
      return "Sync" + (s.dataOnly() ? " data" : "");
    }
    return op.getClass().getSimpleName();
  }

  private String p(String name) {
    return mnt.resolve(name).toString();
  }

  /** The operations one write makes, through a write-only and through a read-write descriptor. */
  private List<List<String>> bothWays(String name, int extraFlags, int rwf) throws Exception {
    List<List<String>> out = new ArrayList<>();
    for (int access : new int[] {Sys.O_WRONLY, Sys.O_RDWR}) {
      String path = p(name + access);
      Files.writeString(Path.of(path), "0123456789");
      int fd = Sys.C.open(path, access | extraFlags, 0);
      assertTrue("open errno " + Sys.errno(), fd >= 0);
      seen.clear();
      Memory iov = new Memory(16);
      Memory data = new Memory(4);
      data.write(0, "abcd".getBytes(UTF_8), 0, 4);
      iov.setPointer(0, data);
      iov.setLong(8, 4);
      assertEquals(4, Sys.C.pwritev2(fd, iov, 1, 2, rwf));
      out.add(List.copyOf(seen));
      Sys.C.close(fd);
      assertEquals("01abcd6789", Files.readString(Path.of(path)));
    }
    return out;
  }

  @Test
  public void syncWritesAreSyncedOnBothPaths() throws Exception {
    List<List<String>> odsync = bothWays("odsync", Sys.O_DSYNC, 0);
    assertEquals(List.of("Write@2+4", "Sync data"), odsync.get(0));
    assertEquals(odsync.get(1), odsync.get(0));
    List<List<String>> rwfSync = bothWays("rwfsync", 0, Sys.RWF_SYNC);
    assertEquals(List.of("Write@2+4", "Sync"), rwfSync.get(0));
    assertEquals(rwfSync.get(1), rwfSync.get(0));
    assertEquals(List.of(List.of("Write@2+4"), List.of("Write@2+4")), bothWays("plain", 0, 0));
  }

  @Test
  public void aWriteDropsFileCapabilitiesOnBothPaths() throws Exception {
    // VFS_CAP_REVISION_2, CAP_NET_RAW permitted.
    byte[] caps = {0, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    List<List<String>> ops = new ArrayList<>();
    for (int access : new int[] {Sys.O_WRONLY, Sys.O_RDWR}) {
      String path = p("caps" + access);
      Files.writeString(Path.of(path), "x");
      assertEquals(
          "setxattr errno " + Sys.errno(),
          0,
          Sys.C.setxattr(path, "security.capability", caps, caps.length, 0));
      int fd = Sys.C.open(path, access, 0);
      seen.clear();
      assertEquals(1, Sys.C.pwrite(fd, "y".getBytes(UTF_8), 1, 0));
      ops.add(List.copyOf(seen));
      Sys.C.close(fd);
      assertEquals(-1, Sys.C.getxattr(path, "security.capability", new byte[32], 32));
      assertEquals(61, Sys.errno()); // ENODATA
    }
    assertEquals(List.of("RemoveXattr security.capability", "Write@0+1"), ops.get(0));
    assertEquals(ops.get(1), ops.get(0));
  }

  @Test
  public void anUnprivilegedWriteDropsSetIdBitsOnBothPaths() throws Exception {
    // mode -> what a write by nobody leaves, as the kernel's FUSE page-cache path does it
    int[][] cases = {{06777, 0777}, {02777, 0777}, {02767, 02767}, {04757, 0757}, {0777, 0777}};
    for (int[] c : cases) {
      List<List<String>> ops = new ArrayList<>();
      for (String redirect : new String[] {">>", "1<>"}) { // O_WRONLY|O_APPEND, O_RDWR
        String path = p("setid" + Integer.toOctalString(c[0]) + redirect.length());
        Files.writeString(Path.of(path), "");
        assertEquals(0, Sys.C.chmod(path, c[0]));
        seen.clear();
        assertEquals(0, asNobody("echo hi " + redirect + " " + path));
        ops.add(List.copyOf(seen));
        assertEquals(
            Integer.toOctalString(c[0]) + " " + redirect,
            Integer.toOctalString(0100000 | c[1]),
            Integer.toOctalString(Sys.lstat(path).mode()));
      }
      assertEquals(Integer.toOctalString(c[0]), ops.get(1), ops.get(0));
    }
    String path = p("root-keeps");
    Files.writeString(Path.of(path), "");
    assertEquals(0, Sys.C.chmod(path, 06777));
    int fd = Sys.C.open(path, Sys.O_WRONLY, 0);
    assertEquals(1, Sys.C.pwrite(fd, "r".getBytes(UTF_8), 1, 0));
    Sys.C.close(fd);
    assertEquals(0106777, Sys.lstat(path).mode());
  }

  @Test
  public void aReaderSeesWhatAWriteOnlyDescriptorWrote() throws Exception {
    String path = p("shared");
    Files.writeString(Path.of(path), "aaaaaaaa");
    int reader = Sys.C.open(path, Sys.O_RDONLY, 0);
    byte[] b = new byte[8];
    assertEquals(8, Sys.C.pread(reader, b, 8, 0)); // now in the kernel's page cache
    int writer = Sys.C.open(path, Sys.O_WRONLY, 0);
    assertEquals(3, Sys.C.pwrite(writer, "bbb".getBytes(UTF_8), 3, 2));
    assertEquals(8, Sys.C.pread(reader, b, 8, 0));
    assertEquals("aabbbaaa", new String(b, UTF_8));
    Sys.C.close(writer);
    Sys.C.close(reader);
    // a copy into the mount goes through splice on the write-only side
    Path src = dirs.newDir("src").resolve("f");
    Files.write(src, new byte[300_000]);
    Process cp = new ProcessBuilder("cp", src.toString(), p("copy")).inheritIO().start();
    assertEquals(0, cp.waitFor());
    assertEquals(300_000, Files.size(Path.of(p("copy"))));
  }

  private static int asNobody(String command) throws Exception {
    Process p =
        new ProcessBuilder(
                "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c", command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    int rc = p.waitFor();
    assertEquals(command + ": " + out, 0, rc);
    return rc;
  }
}
