package org.bulwark.fuse.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.bulwark.fuse.internal.TreeCalls.EBADF;
import static org.bulwark.fuse.internal.TreeCalls.EEXIST;
import static org.bulwark.fuse.internal.TreeCalls.EINVAL;
import static org.bulwark.fuse.internal.TreeCalls.EISDIR;
import static org.bulwark.fuse.internal.TreeCalls.EPERM;
import static org.bulwark.fuse.internal.TreeCalls.O_APPEND;
import static org.bulwark.fuse.internal.TreeCalls.O_CREAT;
import static org.bulwark.fuse.internal.TreeCalls.O_EXCL;
import static org.bulwark.fuse.internal.TreeCalls.O_RDONLY;
import static org.bulwark.fuse.internal.TreeCalls.O_RDWR;
import static org.bulwark.fuse.internal.TreeCalls.O_TRUNC;
import static org.bulwark.fuse.internal.TreeCalls.O_WRONLY;
import static org.bulwark.fuse.internal.TreeCalls.SEEK_DATA;
import static org.bulwark.fuse.internal.TreeCalls.SEEK_HOLE;
import static org.bulwark.fuse.internal.TreeSentinel.assertErrno;
import static org.bulwark.fuse.internal.TreeSentinel.read;
import static org.bulwark.fuse.internal.TreeSentinel.write;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bulwark.api.fs.FileOperation;
import org.bulwark.api.fs.FileStat;
import org.bulwark.api.fs.FileType;
import org.bulwark.api.fs.LocalTree;
import org.bulwark.api.fs.LocalTree.OpenFile;
import org.bulwark.api.fs.MountOptions;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/** {@link LocalTree.OpenFile}: data, holes, sizes, modes and descriptors, round-tripped. */
public class LocalTreeFilesTest {
  private static final int PUNCH_HOLE = 2;
  private static final int KEEP_SIZE = 1;
  private static final int BLOCK = 64 * 1024;
  private static final int WAIT_BEFORE = 1;
  private static final int SYNC_FILE_RANGE_WRITE = 2;
  private static final int WAIT_AFTER = 4;

  @Rule public final TestDirs dirs = new TestDirs();
  private Path dir;
  private LocalTree tree;

  @Before
  public void open() throws Exception {
    dir = dirs.newDir("localtree-files");
    tree = new ConfinedTrees().open(dir);
  }

  @After
  public void close() throws Exception {
    tree.close();
  }

  @Test
  public void anOpenFileTakesItsTimesThroughItsDescriptor() throws Exception {
    try (OpenFile f = tree.open("timed", O_CREAT | O_EXCL | O_RDWR, 0640)) {
      f.write(0, ByteBuffer.wrap("x".getBytes(UTF_8)));
      long mtime = 1_700_000_000_123_456_789L;
      f.setTimes(org.bulwark.api.fs.FileOperation.SetTimes.OMIT, mtime);
      assertEquals(mtime, f.stat().mtimeNanos());
      assertEquals(mtime, tree.stat("timed").orElseThrow().mtimeNanos());
    }
  }

  @Test
  public void createWriteReadTruncateWithHeapAndDirectBuffers() throws Exception {
    try (OpenFile f = tree.open("f", O_CREAT | O_EXCL | O_RDWR, 0640)) {
      ByteBuffer heap = ByteBuffer.wrap("hello ".getBytes(UTF_8));
      f.write(0, heap);
      assertEquals("the whole buffer is consumed", heap.limit(), heap.position());
      ByteBuffer direct = ByteBuffer.allocateDirect(16);
      direct.put("xxworld".getBytes(UTF_8)).flip().position(2);
      f.write(6, direct);
      f.write(11, ByteBuffer.wrap("!".getBytes(UTF_8)).asReadOnlyBuffer());
      assertEquals(12, f.stat().size());

      ByteBuffer d = ByteBuffer.allocateDirect(64);
      d.position(3);
      assertEquals(12, f.read(0, d));
      assertEquals(15, d.position());
      byte[] got = new byte[12];
      d.flip().position(3);
      d.get(got);
      assertEquals("hello world!", new String(got, UTF_8));
      ByteBuffer h = ByteBuffer.allocate(5);
      assertEquals(5, f.read(6, h));
      assertEquals("world", new String(h.array(), UTF_8));
      assertEquals("0 at end of file", 0, f.read(12, ByteBuffer.allocate(4)));

      f.truncate(5);
      f.sync(false);
      f.sync(true);
      assertEquals(5, f.stat().size());
    }
    assertEquals("hello", read(tree, "f"));
    assertEquals("hello", Files.readString(dir.resolve("f")));
    assertErrno("O_EXCL on an existing file", EEXIST, () -> tree.open("f", O_CREAT | O_EXCL, 0600));
    try (OpenFile f = tree.open("f", O_CREAT | O_RDWR | O_TRUNC, 0600)) {
      assertEquals("O_TRUNC", 0, f.stat().size());
      assertEquals("mode of an existing file untouched", 0640, f.stat().mode());
    }
  }

  @Test
  public void largeHeapWritesGoThroughInChunks() throws Exception {
    byte[] data = new byte[3 * 256 * 1024 + 12345];
    new Random(7).nextBytes(data);
    try (OpenFile f = tree.open("big", O_CREAT | O_RDWR, 0600)) {
      f.write(100, ByteBuffer.wrap(data));
      ByteBuffer back = ByteBuffer.allocate(data.length);
      assertEquals(data.length, f.read(100, back));
      assertArrayEquals(data, back.array());
    }
  }

  @Test
  public void createdFilesGetExactlyTheirModeWhateverTheUmask() throws Exception {
    int[] modes = {0666, 0777, 04755, 02775, 01644, 0, 07777};
    for (int i = 0; i < modes.length; i++) {
      tree.open("m" + i, O_CREAT | O_WRONLY, modes[i]).close();
      FileStat st = tree.stat("m" + i).orElseThrow();
      assertEquals("mode 0" + Integer.toOctalString(modes[i]), modes[i], st.mode());
      assertEquals(FileType.REGULAR, st.type());
    }
  }

  @Test
  public void punchedHolesAndSparseFilesAnswerSeekDataAndHole() throws Exception {
    byte[] ones = new byte[3 * BLOCK];
    java.util.Arrays.fill(ones, (byte) 1);
    try (OpenFile f = tree.open("sparse", O_CREAT | O_RDWR, 0600)) {
      f.write(0, ByteBuffer.wrap(ones));
      f.fallocate(PUNCH_HOLE | KEEP_SIZE, BLOCK, BLOCK);
      assertEquals(3 * BLOCK, f.stat().size());
      assertEquals(BLOCK, f.seek(0, SEEK_HOLE));
      assertEquals(2 * BLOCK, f.seek(BLOCK, SEEK_DATA));
      ByteBuffer hole = ByteBuffer.allocate(BLOCK);
      f.read(BLOCK, hole);
      assertArrayEquals(new byte[BLOCK], hole.array());

      f.write(16L << 20, ByteBuffer.wrap(ones, 0, 10));
      assertEquals("data after a 16 MiB gap", 16L << 20, f.seek(3 * BLOCK, SEEK_DATA));
      FileStat st = f.stat();
      assertEquals((16L << 20) + 10, st.size());
      assertTrue("sparse: " + st.blocks() + " blocks", st.blocks() * 512 < st.size() / 4);
      assertEquals("no data past the last", -1, f.seek(st.size(), SEEK_DATA));

      f.fallocate(0, st.size(), BLOCK);
      assertEquals("plain fallocate extends", (16L << 20) + 10 + BLOCK, f.stat().size());
      f.fallocate(KEEP_SIZE, f.stat().size(), BLOCK);
      assertEquals("KEEP_SIZE", (16L << 20) + 10 + BLOCK, f.stat().size());
      assertErrno("bad whence", EINVAL, () -> f.seek(0, 0));
    }
  }

  @Test
  public void syncRangeStartsAndAwaitsWritebackAndRefusesWhatTheKernelRefuses() throws Exception {
    byte[] data = new byte[3 * BLOCK];
    new Random(7).nextBytes(data);
    try (OpenFile f = tree.open("range", O_CREAT | O_EXCL | O_RDWR, 0600)) {
      f.write(0, ByteBuffer.wrap(data));
      f.syncRange(0, BLOCK, SYNC_FILE_RANGE_WRITE);
      f.syncRange(BLOCK, 0, SYNC_FILE_RANGE_WRITE); // 0: to the end of the file
      f.syncRange(0, 2 * BLOCK, WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | WAIT_AFTER);
      f.syncRange(1L << 40, BLOCK, SYNC_FILE_RANGE_WRITE); // past the end: nothing to do
      ByteBuffer back = ByteBuffer.allocate(data.length);
      f.read(0, back);
      assertArrayEquals("written back, not changed", data, back.array());
      assertEquals(data.length, f.stat().size());
      assertErrno("unknown flag", EINVAL, () -> f.syncRange(0, 0, 8));
      assertErrno("negative offset", EINVAL, () -> f.syncRange(-1, 0, SYNC_FILE_RANGE_WRITE));
      assertErrno("negative length", EINVAL, () -> f.syncRange(0, -1, SYNC_FILE_RANGE_WRITE));
    }
    try (OpenFile f = tree.open("range", O_RDONLY, 0)) {
      f.syncRange(0, 0, SYNC_FILE_RANGE_WRITE); // a descriptor's access mode does not matter
    }
    OpenFile closed = tree.open("range", O_WRONLY, 0);
    closed.close();
    assertErrno("closed", EBADF, () -> closed.syncRange(0, 0, SYNC_FILE_RANGE_WRITE));
  }

  @Test
  public void openRefusesWhatIsNotARegularFileWithoutOpeningIt() throws Exception {
    tree.mkdir("d", 0755);
    tree.mknod("fifo", 0010644, 0);
    tree.mknod("null", 0020666, TreeStat.makedev(1, 3));
    assertErrno("directory", EISDIR, () -> tree.open("d", O_RDONLY, 0));
    assertErrno("root", EISDIR, () -> tree.open("/", O_RDONLY, 0));
    // A fifo opened for real would block this thread until a writer comes: it is never opened.
    assertErrno("fifo", EPERM, () -> tree.open("fifo", O_RDONLY, 0));
    assertErrno("fifo with O_CREAT", EPERM, () -> tree.open("fifo", O_CREAT | O_RDWR, 0600));
    assertErrno("device", EPERM, () -> tree.open("null", O_WRONLY, 0));
    assertErrno("O_APPEND", EINVAL, () -> tree.open("f", O_CREAT | O_WRONLY | O_APPEND, 0600));
    assertErrno("O_ACCMODE 3", EINVAL, () -> tree.open("f", O_CREAT | 3, 0600));
    assertErrno("O_DIRECTORY", EINVAL, () -> tree.open("d", TreeCalls.O_DIRECTORY, 0));
    assertErrno("O_PATH", EINVAL, () -> tree.open("d", TreeCalls.O_PATH, 0));
    assertTrue("nothing created", Files.notExists(dir.resolve("f"), LinkOption.NOFOLLOW_LINKS));
    tree.open("f", O_CREAT | O_WRONLY | TreeCalls.O_DSYNC | TreeCalls.O_NOFOLLOW, 0600).close();
  }

  @Test
  public void closeIsIdempotentAndAClosedFileAnswersEbadf() throws Exception {
    OpenFile f = tree.open("f", O_CREAT | O_RDWR, 0600);
    f.close();
    f.close();
    assertErrno("write", EBADF, () -> f.write(0, ByteBuffer.allocate(1)));
    assertErrno("read", EBADF, () -> f.read(0, ByteBuffer.allocate(1)));
    assertErrno("stat", EBADF, f::stat);
  }

  @Test
  public void openFilesOutliveTheirTreeAndTheirName() throws Exception {
    OpenFile f = tree.open("f", O_CREAT | O_RDWR, 0600);
    tree.unlink("f");
    tree.close();
    assertErrno("a closed tree", EBADF, () -> tree.stat("f"));
    f.write(0, ByteBuffer.wrap("still".getBytes(UTF_8)));
    assertEquals(0, f.stat().nlink());
    assertEquals(5, f.stat().size());
    f.close();
    tree = new ConfinedTrees().open(dir);
  }

  /**
   * The primary's use: a tree opened before the FUSE mount reaches the real files under it, and its
   * calls never go through the mount (an interceptor calling the tree cannot wait for itself).
   */
  @Test
  public void aTreeOpenedBeforeMountingReachesTheFilesUnderTheMount() throws Exception {
    List<FileOperation> seen = new ArrayList<>();
    dirs.mount(
        dir,
        MountOptions.defaults()
            .withInterceptor(
                op -> {
                  synchronized (seen) {
                    seen.add(op);
                  }
                }));
    write(tree, "under", "real file", 0644);
    tree.mkdir("sub", 0755);
    tree.setXattr("under", "user.x", new byte[] {1}, 0);
    assertEquals("real file", Files.readString(dir.resolve("under")));
    assertTrue(Files.isDirectory(dir.resolve("sub")));
    synchronized (seen) {
      assertEquals("nothing went through the mount", List.of(), seen);
    }
    Files.writeString(dir.resolve("through"), "via mount");
    assertEquals("via mount", read(tree, "through"));
  }
}
