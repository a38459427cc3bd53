package org.bulwark.itests;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bulwark.itests.NodeProcess.Result;

/**
 * The disk beneath one node's private directory ({@code <disk>/data}): a plain directory, or a
 * tmpfs of fixed size that this lab mounts on the host so that faults reach every namespace of the
 * node at once, the live one included: the disk made read-only or full. The filler file that makes
 * it full lies beside the private directory, never in it: nothing a node replicates.
 */
final class PrivateDisk implements AutoCloseable {
  private static final Duration MOUNT_DEADLINE = Duration.ofSeconds(30);

  /** The disk: a mount point when {@link #tmpfsBytes} > 0. */
  final Path dir;

  /** The node's private directory, bound at the shared path in its namespace. */
  final Path data;

  /** Size of the tmpfs, 0 for a plain directory. */
  final long tmpfsBytes;

  /** Our tmpfs's mount id in the host's mountinfo, -1 when none is mounted. Guarded by this. */
  private int mountId = -1;

  private PrivateDisk(Path dir, long tmpfsBytes) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.tmpfsBytes = tmpfsBytes;
  }

  /** Creates {@code dir} (which must not exist) and, when {@code tmpfsBytes} > 0, its tmpfs. */
  static PrivateDisk create(Path dir, long tmpfsBytes) throws IOException, InterruptedException {
    Files.createDirectory(dir);
    PrivateDisk disk = new PrivateDisk(dir, tmpfsBytes);
    try {
      if (tmpfsBytes > 0) {
        disk.mount();
      }
      Files.createDirectory(disk.data);
      return disk;
    } catch (IOException | RuntimeException e) {
      disk.close();
      throw e;
    }
  }

  private synchronized void mount() throws IOException, InterruptedException {
    ok(sh("mount", "-t", "tmpfs", "-o", "size=" + tmpfsBytes + ",mode=0755", "bulwark-it", dir));
    mountId =
        top()
            .orElseThrow(() -> new IllegalStateException("no mount at " + dir + " after mount"))
            .id();
  }

  /** The mount on top at {@link #dir} in the host's namespace, the one a path there reaches. */
  private Optional<MountInfo> top() throws IOException {
    return MountInfo.host().stream()
        .filter(m -> m.mountPoint().equals(dir.toString()))
        .reduce((below, above) -> above);
  }

  /**
   * Makes the disk read-only ({@code true}) or writable again for the node's later starts: a
   * remount of the whole tmpfs, as a disk that fails would be. A running node's namespace sees it
   * both ways; a node started while the disk is read-only keeps a read-only copy of the mount in
   * its namespace until its next start. The kernel refuses it ({@code mount point is busy}) while a
   * file on it is open for writing: stop the module first (or the node).
   */
  void readOnly(boolean readOnly) throws IOException, InterruptedException {
    requireTmpfs("read-only");
    ok(sh("mount", "-o", "remount," + (readOnly ? "ro" : "rw"), mountedDir()));
  }

  /** Fills the disk: writes a filler file beside the private directory until it is full. */
  long fill() throws IOException {
    requireTmpfs("full");
    ByteBuffer block = ByteBuffer.allocate(64 * 1024);
    long written = 0;
    try (FileChannel filler =
        FileChannel.open(filler(), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      filler.position(filler.size());
      while (true) {
        block.clear();
        written += filler.write(block);
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
        throw full;
      }
    }
    return written;
  }

  /** Frees what {@link #fill()} took. */
  void unfill() throws IOException {
    Files.deleteIfExists(filler());
  }

  private Path filler() {
    return dir.resolve("filler");
  }

  private void requireTmpfs(String fault) {
    if (tmpfsBytes <= 0) {
      throw new IllegalStateException(
          "a " + fault + " disk needs a tmpfs: create the ReplicatedPath with a tmpfs size");
    }
  }

  /** The disk's directory, checked to be our tmpfs on top, never a mount of someone else. */
  private synchronized String mountedDir() throws IOException {
    Optional<MountInfo> top = top();
    if (mountId < 0 || top.isEmpty() || top.get().id() != mountId) {
      throw new IllegalStateException(
          "our tmpfs (mount " + mountId + ") is not on top at " + dir + ": " + top.orElse(null));
    }
    return dir.toString();
  }

  /** Unmounts the tmpfs this disk mounted, if it did; leaves the directories to the lab. */
  @Override
  public synchronized void close() throws IOException, InterruptedException {
    if (mountId < 0) {
      return;
    }
    if (MountInfo.host().stream().noneMatch(m -> m.id() == mountId)) {
      mountId = -1; // already gone
      return;
    }
    ok(sh("umount", mountedDir()));
    mountId = -1;
  }

  private static Result sh(Object... command) throws IOException, InterruptedException {
    List<String> c = new ArrayList<>();
    for (Object o : command) {
      c.add(o.toString());
    }
    return NodeProcess.run(c, Map.of(), MOUNT_DEADLINE);
  }

  private static void ok(Result r) throws IOException {
    if (r.exitCode() != 0) {
      throw new IOException(r.toString());
    }
  }
}
