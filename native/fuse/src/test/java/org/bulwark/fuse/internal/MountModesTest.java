package org.bulwark.fuse.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.fs.Errno;
import org.bulwark.api.fs.FileInterceptor;
import org.bulwark.api.fs.FileOperation;
import org.bulwark.api.fs.FileOperationException;
import org.bulwark.api.fs.Mount;
import org.bulwark.api.fs.MountOptions;
import org.bulwark.api.fs.UnmountReport;
import org.junit.Rule;
import org.junit.Test;

/**
 * Read-only mode, the interceptor, errors of the file system underneath, and unmount with files
 * open (issue 6 §3, §4).
 */
public class MountModesTest {
  @Rule public final TestDirs dirs = new TestDirs();

  @Test
  public void readOnlyRefusesEveryChangeWithErofsButServesReads() throws Exception {
    Path dir = dirs.newDir("ro");
    Files.writeString(dir.resolve("file"), "data");
    dirs.mount(dir, MountOptions.defaults().withReadOnly(true));
    String f = dir.resolve("file").toString();
    assertEquals("data", Files.readString(dir.resolve("file")));
    assertEquals(-1, Sys.C.open(f, Sys.O_WRONLY, 0));
    assertEquals(Sys.EROFS, Sys.errno());
    assertEquals(-1, Sys.C.open(dir.resolve("new").toString(), Sys.O_CREAT | Sys.O_WRONLY, 0644));
    assertEquals(Sys.EROFS, Sys.errno());
    assertEquals(-1, Sys.C.unlink(f));
    assertEquals(Sys.EROFS, Sys.errno());
    assertEquals(-1, Sys.C.mkdir(dir.resolve("d").toString(), 0755));
    assertEquals(Sys.EROFS, Sys.errno());
    assertEquals(-1, Sys.C.truncate(f, 0));
    assertEquals(Sys.EROFS, Sys.errno());
    assertEquals(-1, Sys.C.chmod(f, 0600));
    assertEquals(Sys.EROFS, Sys.errno());
  }

  @Test
  public void enospcOfTheFileSystemUnderneathReachesTheApplication() throws Exception {
    Path dir = dirs.newDir("tmpfs");
    assertEquals(
        "mount tmpfs errno " + Sys.errno(),
        0,
        Sys.C.mount("bulwark-test", dir.toString(), "tmpfs", 0, "size=1m"));
    dirs.onCleanup(() -> Sys.C.umount2(dir.toString(), 2));
    dirs.mount(dir, MountOptions.defaults());
    int fd = Sys.C.open(dir.resolve("big").toString(), Sys.O_CREAT | Sys.O_WRONLY, 0644);
    assertTrue(fd >= 0);
    byte[] chunk = new byte[64 * 1024];
    long written = 0;
    int errno = 0;
    for (int i = 0; i < 64 && errno == 0; i++) {
      long n = Sys.C.pwrite(fd, chunk, chunk.length, written);
      if (n < 0) {
        errno = Sys.errno();
      } else {
        written += n;
      }
    }
    Sys.C.close(fd);
    assertEquals(Sys.ENOSPC, errno);
    assertTrue("wrote " + written, written > 0 && written <= 1024 * 1024);
  }

  @Test
  public void theInterceptorSeesEachChangeWithItsDataAndMayFailIt() throws Exception {
    List<FileOperation> seen = new CopyOnWriteArrayList<>();
    List<String> afterWrites = new CopyOnWriteArrayList<>();
    FileInterceptor sink =
        new FileInterceptor() {
          @Override
          public void before(FileOperation op) throws FileOperationException {
            seen.add(op);
            if (op.path() != null && op.path().startsWith("/refused")) {
              throw new FileOperationException(Errno.EIO, "secondary unreachable");
            }
          }

          @Override
          public void after(FileOperation op, int errno) {
            if (op instanceof FileOperation.Write w) {
              ByteBuffer data = w.data();
              byte[] b = new byte[data.remaining()];
              data.get(b);
              afterWrites.add(
                  w.path() + "@" + w.offset() + "=" + new String(b, UTF_8) + "/" + errno);
            }
          }
        };
    Path dir = dirs.newDir("sink");
    Files.writeString(dir.resolve("refused"), "before");
    dirs.mount(dir, MountOptions.defaults().withInterceptor(sink));
    int fd = Sys.C.open(dir.resolve("a.txt").toString(), Sys.O_CREAT | Sys.O_WRONLY, 0640);
    assertEquals(5, Sys.C.pwrite(fd, "hello".getBytes(UTF_8), 5, 3));
    assertEquals(0, Sys.C.fsync(fd));
    Sys.C.close(fd);
    assertEquals(0, Sys.C.renameat2(Sys.AT_FDCWD, dir + "/a.txt", Sys.AT_FDCWD, dir + "/b.txt", 0));
    assertEquals(List.of("/a.txt@3=hello/0"), afterWrites);
    assertTrue(
        seen.toString(), seen.get(0) instanceof FileOperation.Create c && c.mode() == 0100640);
    assertTrue(seen.stream().anyMatch(o -> o instanceof FileOperation.Sync));
    assertTrue(
        seen.stream()
            .anyMatch(o -> o instanceof FileOperation.Rename r && r.target().equals("/b.txt")));

    int r = Sys.C.open(dir.resolve("refused").toString(), Sys.O_WRONLY, 0);
    assertEquals(-1, Sys.C.pwrite(r, "after".getBytes(UTF_8), 5, 0));
    assertEquals(Errno.EIO, Sys.errno());
    Sys.C.close(r);
    assertEquals("before", Files.readString(dir.resolve("refused")));
  }

  @Test
  public void theApplicationsWriteWaitsForABlockedInterceptor() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    FileInterceptor sink =
        op -> {
          if (op instanceof FileOperation.Write) {
            entered.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              throw new FileOperationException(Errno.EIO, "interrupted");
            }
          }
        };
    Path dir = dirs.newDir("blocked");
    dirs.mount(dir, MountOptions.defaults().withInterceptor(sink));
    int fd = Sys.C.open(dir.resolve("f").toString(), Sys.O_CREAT | Sys.O_WRONLY, 0644);
    ExecutorService app = Executors.newSingleThreadExecutor();
    try {
      Future<Long> write = app.submit(() -> Sys.C.pwrite(fd, new byte[] {1, 2, 3}, 3, 0));
      assertTrue(entered.await(10, TimeUnit.SECONDS));
      // The interceptor is inside before(): the application's call cannot have returned.
      assertFalse(write.isDone());
      assertEquals(0L, Files.size(dir.resolve("f")));
      release.countDown();
      assertEquals(3L, (long) write.get(10, TimeUnit.SECONDS));
      assertEquals(3L, Files.size(dir.resolve("f")));
    } finally {
      release.countDown();
      app.shutdownNow();
      Sys.C.close(fd);
    }
  }

  @Test
  public void theRequestSizeIsTheConfiguredOne() throws Exception {
    for (int maxWrite : new int[] {64 * 1024, 256 * 1024}) {
      java.util.concurrent.atomic.AtomicInteger largest =
          new java.util.concurrent.atomic.AtomicInteger();
      FileInterceptor sink =
          op -> {
            if (op instanceof FileOperation.Write w) {
              largest.accumulateAndGet(w.length(), Math::max);
            }
          };
      Path dir = dirs.newDir("size");
      Mount m =
          dirs.mount(dir, MountOptions.defaults().withMaxWrite(maxWrite).withInterceptor(sink));
      int fd = Sys.C.open(dir.resolve("big").toString(), Sys.O_CREAT | Sys.O_WRONLY, 0644);
      byte[] mib = new byte[1024 * 1024];
      assertEquals(mib.length, Sys.C.pwrite(fd, mib, mib.length, 0));
      Sys.C.close(fd);
      assertEquals(maxWrite, largest.get());
      // statfs answers for the file system underneath
      assertTrue(Files.getFileStore(dir).getTotalSpace() > 0);
      m.unmount(Duration.ofSeconds(5));
    }
  }

  /**
   * A process in a mount namespace of its own (a private copy of this one's mounts, as {@code
   * unshare -m} makes), working in {@code dir}, once {@code script} ran there.
   */
  private static Process inNamespaceOfItsOwn(Path dir, String script) throws java.io.IOException {
    Process p =
        new ProcessBuilder(
                "unshare",
                "-m",
                "--propagation",
                "private",
                "sh",
                "-c",
                script + "; echo ready; exec sleep 60")
            .directory(dir.toFile())
            .start();
    assertEquals('r', p.getInputStream().read());
    return p;
  }

  /** A process working in {@code dir} with {@code file} (relative to it) open, once ready. */
  private static Process holding(Path dir, String file) throws java.io.IOException {
    Process holder =
        new ProcessBuilder("sh", "-c", "exec 3<" + file + "; echo ready; exec sleep 60")
            .directory(dir.toFile())
            .start();
    assertEquals('r', holder.getInputStream().read());
    return holder;
  }

  /**
   * A process of another mount namespace is no holder: a path names another file there (two nodes
   * of a test lab on one machine, each with its own directory at the same path; a container).
   */
  @Test
  public void aProcessOfAnotherMountNamespaceHoldsNothingHere() throws Exception {
    Path dir = dirs.newDir("elsewhere-held");
    Files.writeString(dir.resolve("held"), "x");
    Process other = inNamespaceOfItsOwn(dir, "exec 3<held");
    try {
      assertTrue(
          Files.readSymbolicLink(Path.of("/proc/" + other.pid() + "/cwd"))
              .equals(dir.toRealPath()));
      assertTrue(dirs.driver.holders(dir).toString(), dirs.driver.holders(dir).isEmpty());
    } finally {
      other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  public void holdersOfADirectoryNotMountedAndNamedThroughALink() throws Exception {
    Path dir = dirs.newDir("plain");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/held"), "x");
    Path link = Files.createSymbolicLink(dirs.newDir("link").resolve("plain"), dir);
    assertTrue(dirs.driver.holders(link).isEmpty()); // this process's own files do not count
    Process holder = holding(dir, "sub/held");
    try {
      List<org.bulwark.api.fs.FileHolder> found = dirs.driver.holders(link);
      Path real = dir.toRealPath();
      assertTrue(
          found.toString(),
          found.stream()
              .anyMatch(h -> h.pid() == holder.pid() && h.path().equals(real + "/sub/held")));
      assertTrue( // its working directory too
          found.toString(),
          found.stream()
              .anyMatch(h -> h.pid() == holder.pid() && h.path().equals(real.toString())));
    } finally {
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  public void unmountWithFilesOpenReportsTheHoldersThenForces() throws Exception {
    Path dir = dirs.newDir("busy");
    Files.writeString(dir.resolve("held"), "x");
    Mount m = dirs.mount(dir, MountOptions.defaults());
    Process holder = holding(dir, "held");
    try {
      assertTrue(m.holders().stream().anyMatch(h -> h.pid() == holder.pid()));
      UnmountReport report = m.unmount(Duration.ofMillis(300));
      assertTrue(report.forced());
      assertTrue(
          report.toString(), report.holders().stream().anyMatch(h -> h.pid() == holder.pid()));
      assertFalse(m.isActive());
      assertFalse(dirs.driver.isMounted(dir));
      assertEquals("x", Files.readString(dir.resolve("held")));
    } finally {
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A process that entered a mount namespace of its own while the mount was there (as {@code
   * unshare -m}, a container or a service with mounts of its own do) keeps a copy of it, which an
   * unmount here does not remove where propagation is private: the connection, and every call
   * through that copy, is cut at the unmount, and the process named.
   */
  @Test
  public void aCopyOfTheMountInAnotherNamespaceIsCutAtTheUnmount() throws Exception {
    Path dir = dirs.newDir("elsewhere");
    Mount m = dirs.mount(dir, MountOptions.defaults());
    Files.writeString(dir.resolve("f"), "through the mount");
    Process other = inNamespaceOfItsOwn(dirs.newDir("elsewhere-cwd"), "true");
    try {
      UnmountReport report = m.unmount(Duration.ofSeconds(5));
      assertTrue(report.forced());
      assertTrue(
          report.toString(), report.holders().stream().anyMatch(h -> h.pid() == other.pid()));
      assertFalse(m.isActive());
      assertFalse(dirs.driver.isMounted(dir));
      assertEquals("through the mount", Files.readString(dir.resolve("f")));
      Process read =
          new ProcessBuilder(
                  "nsenter", "-t", Long.toString(other.pid()), "-m", "cat", dir.resolve("f") + "")
              .redirectErrorStream(true)
              .start();
      String said = new String(read.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(read.waitFor(10, TimeUnit.SECONDS));
      assertTrue(said, read.exitValue() != 0 && said.contains("not connected"));
    } finally {
      other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  public void aCleanUnmountReportsNothing() throws Exception {
    Path dir = dirs.newDir("clean");
    Mount m = dirs.mount(dir, MountOptions.defaults());
    Files.writeString(dir.resolve("f"), "through the mount");
    UnmountReport report = m.unmount(Duration.ofSeconds(5));
    assertFalse(report.forced());
    assertTrue(report.holders().isEmpty());
    assertFalse(dirs.driver.isMounted(dir));
    assertEquals("through the mount", Files.readString(dir.resolve("f")));
  }
}
