package org.bulwark.rfs.internal;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.bulwark.rfs.internal.Posix.C;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.config.Rfs;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.RuleChain;
import org.junit.rules.TemporaryFolder;

/**
 * POSIX behaviour through the primary's mount, replicated (spec B.7): each case is made by the
 * application through the mount while the secondary follows synchronously, and the secondary's copy
 * must then be what a local file system would hold — same names, data, holes, link counts — without
 * the replication ever breaking.
 */
public class PosixThroughReplicationTest {
  private final TemporaryFolder tmp = new TemporaryFolder();
  private final Pair pair = new Pair(tmp, 1);
  @Rule public final RuleChain rules = RuleChain.outerRule(tmp).around(pair);

  /**
   * Files of the many-files case (issue 9: 100,000 files in a tree), in the README's test command:
   * about 85 s to make through the mount on a quiet 2-core machine (1,200 files a second,
   * replicated), 110 s in all; {@code -Drfs.files=N} for another count.
   */
  private static final int FILES = 100_000;

  private Path a;
  private Path b;

  private void start() throws Exception {
    pair.async(Rfs.Async.NONE); // the secondary has written each change when the call returns
    pair.open();
    pair.start();
    a = pair.a.get(0);
    b = pair.b.get(0);
  }

  private String p(String name) {
    return a.resolve(name).toString();
  }

  private static int create(String path, String content) {
    int fd = Posix.openOrFail(path, Posix.O_CREAT | Posix.O_RDWR | Posix.O_TRUNC, 0644);
    Posix.pwriteOrFail(fd, content.getBytes(ISO_8859_1), 0);
    return fd;
  }

  /** After the barrier: the same trees, and the session never broke. */
  private void assertReplicated(String what) throws Exception {
    pair.barrier();
    pair.assertStillSynchronous(what);
    pair.assertSameTrees(what);
  }

  @Test
  public void renameOverAnExistingFileReplacesItOnTheSecondary() throws Exception {
    start();
    int old = create(p("target"), "old content");
    C.close(create(p("new"), "new content"));
    Posix.check("rename", C.renameat2(Posix.AT_FDCWD, p("new"), Posix.AT_FDCWD, p("target"), 0));
    assertEquals("old content", Posix.readAt(old, 64, 0)); // the open file is the old one still
    C.close(old);
    assertEquals("new content", Files.readString(b.resolve("target")));
    assertFalse(Files.exists(b.resolve("new"), LinkOption.NOFOLLOW_LINKS));

    C.close(create(p("other"), "other"));
    int rc = C.renameat2(Posix.AT_FDCWD, p("other"), Posix.AT_FDCWD, p("target"), 1);
    assertEquals("RENAME_NOREPLACE over a file fails with EEXIST", 17, rc == 0 ? 0 : Posix.errno());
    Posix.check(
        "exchange", C.renameat2(Posix.AT_FDCWD, p("other"), Posix.AT_FDCWD, p("target"), 2));
    assertEquals("other", Files.readString(b.resolve("target")));
    assertEquals("new content", Files.readString(b.resolve("other")));

    Files.createDirectories(a.resolve("d1/x"));
    Files.createDirectories(a.resolve("d2"));
    Files.writeString(a.resolve("d1/x/f"), "in d1");
    Posix.check("rename dir", C.renameat2(Posix.AT_FDCWD, p("d1"), Posix.AT_FDCWD, p("d2"), 0));
    assertEquals("in d1", Files.readString(b.resolve("d2/x/f")));
    assertReplicated("rename over");
  }

  @Test
  public void anUnlinkedOpenFileIsGoneOnTheSecondaryAndStaysReadable() throws Exception {
    start();
    int fd = create(p("gone"), "still here");
    Posix.check("unlink", C.unlink(p("gone")));
    assertFalse(Files.exists(b.resolve("gone"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("still here", Posix.readAt(fd, 64, 0));
    Posix.check("close", C.close(fd));
    assertReplicated("unlink of an open file");
  }

  @Test
  public void twoAppendingWritersLeaveTheSameFileOnBothNodes() throws Exception {
    start();
    C.close(create(p("log"), ""));
    int records = 400;
    ExecutorService two = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (char who : new char[] {'a', 'b'}) {
        writers.add(
            two.submit(
                () -> {
                  int fd = Posix.openOrFail(p("log"), Posix.O_WRONLY | Posix.O_APPEND, 0);
                  try {
                    for (int i = 0; i < records; i++) {
                      byte[] line =
                          String.format("%c%05d%s%n", who, i, "-".repeat(90)).getBytes(ISO_8859_1);
                      assertEquals(line.length, C.write(fd, line, line.length));
                    }
                  } finally {
                    C.close(fd);
                  }
                  return null;
                }));
      }
      for (Future<?> w : writers) {
        w.get(60, TimeUnit.SECONDS);
      }
    } finally {
      two.shutdownNow();
    }
    pair.barrier();
    byte[] primary = Files.readAllBytes(a.resolve("log"));
    assertEquals(2 * records * 97, primary.length);
    String[] lines = new String(primary, ISO_8859_1).split("\n");
    int[] next = new int[2];
    for (String line : lines) {
      int who = line.charAt(0) - 'a';
      assertEquals(
          "record order of writer " + line.charAt(0),
          next[who]++,
          Integer.parseInt(line.substring(1, 6)));
      assertEquals(96, line.length()); // never torn
    }
    assertTrue(java.util.Arrays.equals(primary, Files.readAllBytes(b.resolve("log"))));
    assertReplicated("O_APPEND from two writers");
  }

  @Test
  public void holesStayHolesOnTheSecondary() throws Exception {
    start();
    int fd = Posix.openOrFail(p("sparse"), Posix.O_CREAT | Posix.O_WRONLY, 0644);
    Posix.pwriteOrFail(fd, "head".getBytes(ISO_8859_1), 0);
    Posix.pwriteOrFail(fd, "tail".getBytes(ISO_8859_1), 64L << 20);
    C.close(fd);
    // a file full of data, then a hole punched in its middle
    byte[] mib = new byte[1 << 20];
    java.util.Arrays.fill(mib, (byte) 'x');
    fd = Posix.openOrFail(p("punched"), Posix.O_CREAT | Posix.O_RDWR, 0644);
    for (int i = 0; i < 8; i++) {
      Posix.pwriteOrFail(fd, mib, (long) i << 20);
    }
    Posix.check("punch", C.fallocate(fd, Posix.FALLOC_PUNCH_HOLE, 1 << 20, 6 << 20));
    C.close(fd);
    assertReplicated("sparse files");
    assertEquals((64L << 20) + 4, Files.size(b.resolve("sparse")));
    long sparse = ReplicationPairTest.blocks(b.resolve("sparse"));
    assertTrue("the secondary's sparse file holds " + sparse + " blocks", sparse <= 64);
    long punched = ReplicationPairTest.blocks(b.resolve("punched"));
    long primary = ReplicationPairTest.blocks(a.resolve("punched"));
    assertTrue(
        "the punched file holds " + punched + " blocks on the secondary, " + primary + " here",
        punched <= primary + 64 && punched < 3 * 2048 + 64);
  }

  @Test
  public void hardLinksAreOneFileOnTheSecondary() throws Exception {
    start();
    C.close(create(p("f"), "one file"));
    Files.createDirectories(a.resolve("sub"));
    Posix.check("link g", C.link(p("f"), p("g")));
    Posix.check("link sub/h", C.link(p("f"), p("sub/h")));
    int fd = Posix.openOrFail(p("g"), Posix.O_WRONLY, 0);
    Posix.pwriteOrFail(fd, " written through g".getBytes(ISO_8859_1), 8);
    C.close(fd);
    Posix.Stat f = Posix.lstat(b.resolve("f").toString());
    assertEquals(3, f.nlink());
    assertEquals(f.ino(), Posix.lstat(b.resolve("g").toString()).ino());
    assertEquals(f.ino(), Posix.lstat(b.resolve("sub/h").toString()).ino());
    assertEquals("one file written through g", Files.readString(b.resolve("sub/h")));
    Posix.check("unlink f", C.unlink(p("f")));
    // a rename between two names of one file does nothing
    Posix.check("rename", C.renameat2(Posix.AT_FDCWD, p("g"), Posix.AT_FDCWD, p("sub/h"), 0));
    assertEquals(2, Posix.lstat(b.resolve("g").toString()).nlink());
    assertReplicated("hard links");
  }

  @Test
  public void aFileBeyondFourGibibytesIsReplicatedAndReintegrated() throws Exception {
    start();
    long beyond = (4L << 30) + 4093;
    int fd = Posix.openOrFail(p("big"), Posix.O_CREAT | Posix.O_RDWR, 0644);
    Posix.pwriteOrFail(fd, "start".getBytes(ISO_8859_1), 0);
    Posix.pwriteOrFail(fd, "beyond 4 GiB".getBytes(ISO_8859_1), beyond);
    C.close(fd);
    assertReplicated("a file beyond 4 GiB");
    fd = Posix.openOrFail(b.resolve("big").toString(), Posix.O_RDONLY, 0);
    try {
      assertEquals("beyond 4 GiB", Posix.readAt(fd, 12, beyond));
      assertEquals("start", Posix.readAt(fd, 5, 0));
      assertEquals(beyond + 12, Posix.fstat(fd).size());
      assertTrue(Posix.fstat(fd).blocks() <= 64);
    } finally {
      C.close(fd);
    }
    // written alone, then reintegrated: the zone beyond 4 GiB is copied, the holes stay
    pair.node2.stopSecondary(Duration.ofSeconds(5));
    pair.one.await(e -> e.startsWith("degraded "), 10_000);
    fd = Posix.openOrFail(p("big"), Posix.O_RDWR, 0);
    Posix.pwriteOrFail(fd, "later".getBytes(ISO_8859_1), (5L << 30) + 1);
    C.close(fd);
    pair.one.clear();
    pair.two.clear();
    long start = System.nanoTime();
    pair.node2.startSecondary("");
    assertEquals("reintegrated true", pair.two.await(e -> e.startsWith("reintegrated "), 60_000));
    System.out.printf(
        "PosixThroughReplicationTest: a 5 GiB sparse file reintegrated in %d ms%n",
        (System.nanoTime() - start) / 1_000_000);
    assertReplicated("a file beyond 4 GiB, reintegrated");
    fd = Posix.openOrFail(b.resolve("big").toString(), Posix.O_RDONLY, 0);
    try {
      assertEquals("later", Posix.readAt(fd, 5, (5L << 30) + 1));
      assertEquals("beyond 4 GiB", Posix.readAt(fd, 12, beyond));
    } finally {
      C.close(fd);
    }
    assertTrue(ReplicationPairTest.blocks(b.resolve("big")) <= 96);
  }

  /**
   * A tree of {@link #FILES} small files in directories of 1,000, created through the mount by four
   * threads, is on the secondary file for file, with nothing more.
   */
  @Test
  public void aTreeOfManySmallFilesIsOnTheSecondary() throws Exception {
    start();
    int files = Integer.getInteger("rfs.files", FILES);
    int perDir = 1000;
    long begin = System.nanoTime();
    ExecutorService four = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> makers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int first = t;
        makers.add(
            four.submit(
                () -> {
                  for (int i = first; i < files; i += 4) {
                    Path dir = a.resolve(String.format("tree/d%03d", i / perDir));
                    Path f = dir.resolve(String.format("f%05d", i));
                    if (i % perDir < 4) {
                      Files.createDirectories(dir);
                    }
                    Files.writeString(f, "file " + i + "\n");
                  }
                  return null;
                }));
      }
      for (Future<?> m : makers) {
        m.get(300, TimeUnit.SECONDS);
      }
    } finally {
      four.shutdownNow();
    }
    pair.barrier();
    long made = System.nanoTime();
    int seen = 0;
    for (int i = 0; i < files; i++) {
      Path f = b.resolve(String.format("tree/d%03d/f%05d", i / perDir, i));
      assertEquals("file " + i + "\n", Files.readString(f));
      seen++;
    }
    try (var all = Files.walk(b.resolve("tree"))) {
      assertEquals(files + (files + perDir - 1) / perDir + 1, all.count());
    }
    long checked = System.nanoTime();
    pair.assertStillSynchronous("many files");
    System.out.printf(
        "PosixThroughReplicationTest: %d files created through the mount and replicated in %d ms"
            + " (%d files/s), checked on the secondary in %d ms%n",
        seen,
        (made - begin) / 1_000_000,
        seen * 1_000_000_000L / (made - begin),
        (checked - made) / 1_000_000);
  }
}
