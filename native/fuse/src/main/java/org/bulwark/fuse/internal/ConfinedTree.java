package org.bulwark.fuse.internal;

import static org.bulwark.fuse.internal.TreeCalls.AT_REMOVEDIR;
import static org.bulwark.fuse.internal.TreeCalls.AT_SYMLINK_NOFOLLOW;
import static org.bulwark.fuse.internal.TreeCalls.EBUSY;
import static org.bulwark.fuse.internal.TreeCalls.EEXIST;
import static org.bulwark.fuse.internal.TreeCalls.EINVAL;
import static org.bulwark.fuse.internal.TreeCalls.EISDIR;
import static org.bulwark.fuse.internal.TreeCalls.ENOENT;
import static org.bulwark.fuse.internal.TreeCalls.EPERM;
import static org.bulwark.fuse.internal.TreeCalls.O_DIRECTORY;
import static org.bulwark.fuse.internal.TreeCalls.O_RDONLY;
import static org.bulwark.fuse.internal.TreeCalls.lastError;
import static org.bulwark.fuse.internal.TreeRoot.check;
import static org.bulwark.fuse.internal.TreeRoot.fail;
import static org.bulwark.fuse.internal.TreeRoot.ok;

import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.bulwark.api.fs.DirEntry;
import org.bulwark.api.fs.ErrnoException;
import org.bulwark.api.fs.FileOperation.SetTimes;
import org.bulwark.api.fs.FileStat;
import org.bulwark.api.fs.LocalTree;

/**
 * A {@link LocalTree} over a descriptor of its root. Each path is checked ({@link TreePath}), then
 * resolved by the kernel beneath the root with {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS
 * | RESOLVE_NO_MAGICLINKS)}: a namespace call opens the parent directory that way and makes one
 * {@code *at} call on the last name that does not follow it ({@link TreeRoot}); a call on a node's
 * contents or mode opens the node itself with {@code O_PATH} ({@link TreeNodes}); xattrs go through
 * the parent's {@code /proc/self/fd} link ({@link TreeXattrs}).
 *
 * <p>On the root itself: stat, list, chmod, chown, setTimes, xattrs and sync act on it; rename,
 * unlink and rmdir answer EBUSY, mkdir, mknod, symlink and a link to it EEXIST, a link of it EPERM,
 * readLink EINVAL and open EISDIR, as the same calls on "/" would.
 */
final class ConfinedTree implements LocalTree {
  private static final ThreadLocal<Memory> LINK_BUF =
      ThreadLocal.withInitial(() -> new Memory(4096));
  static final ThreadLocal<Memory> TIMES = ThreadLocal.withInitial(() -> new Memory(32));
  private static final byte[] DOT = {'.', 0};
  private static final long UTIME_NOW = (1L << 30) - 1;
  private static final long UTIME_OMIT = (1L << 30) - 2;

  private final Path directory;
  private final TreeRoot root;
  private final Consumer<ConfinedTree> onClose;

  ConfinedTree(Path directory, int rootFd, Consumer<ConfinedTree> onClose) {
    this.directory = directory;
    this.root = new TreeRoot(rootFd);
    this.onClose = onClose;
  }

  @Override
  public Path directory() {
    return directory;
  }

  // ---- reading the tree ----

  @Override
  public Optional<FileStat> stat(String path) throws IOException {
    TreePath p = TreePath.of("stat", path);
    FileStat[] out = new FileStat[1];
    long r =
        root.atRaw(
            "stat",
            p,
            0,
            (d, n, e) -> {
              out[0] = TreeStat.stat(d, n, AT_SYMLINK_NOFOLLOW | e);
              return out[0] == null ? lastError() : 0;
            });
    if (r == -ENOENT) {
      return Optional.empty(); // the name, or a directory above it
    }
    check(r, "stat", path);
    return Optional.of(out[0]);
  }

  @Override
  public List<DirEntry> list(String dir) throws IOException {
    TreePath p = TreePath.of("list", dir);
    int rootFd = root.acquire("list", dir);
    try {
      return TreeListing.list(rootFd, p);
    } finally {
      root.release();
    }
  }

  @Override
  public String readLink(String path) throws IOException {
    TreePath p = TreePath.of("readlink", path);
    Memory buf = LINK_BUF.get(); // PATH_MAX: no link target is longer than 4095 bytes
    long n =
        root.at("readlink", p, EINVAL, (d, nm, e) -> ok(TreeCalls.readlinkat(d, nm, buf, 4096)));
    return new String(buf.getByteArray(0, (int) n), StandardCharsets.UTF_8);
  }

  @Override
  public List<String> xattrNames(String path) throws IOException {
    return TreeXattrs.names(root, path);
  }

  @Override
  public Optional<byte[]> xattr(String path, String name) throws IOException {
    return TreeXattrs.get(root, path, name);
  }

  @Override
  public long[] space() throws IOException {
    Memory st = new Memory(120); // struct statfs, one layout on x86_64 and aarch64
    int rootFd = root.acquire("statfs", "/");
    try {
      check(ok(TreeCalls.fstatfs(rootFd, st)), "statfs", directory.toString());
    } finally {
      root.release();
    }
    long frsize = st.getLong(72) != 0 ? st.getLong(72) : st.getLong(8);
    return new long[] {st.getLong(32) * frsize, st.getLong(16) * frsize};
  }

  // ---- files ----

  @Override
  public OpenFile open(String path, int flags, int mode) throws IOException {
    TreePath p = TreePath.of("open", path);
    int bad = OpenFlags.check(flags);
    if (bad != 0) {
      throw new ErrnoException(
          EINVAL,
          "open " + TreePath.show(path) + ": unsupported flags 0" + Integer.toOctalString(bad));
    }
    if (p.isRoot()) {
      throw fail(EISDIR, "open", path);
    }
    int rootFd = root.acquire("open", path);
    try {
      int fd = OpenFlags.open(rootFd, p, flags, mode);
      check(fd, "open", path);
      return new ConfinedFile(fd, TreePath.show(path));
    } finally {
      root.release();
    }
  }

  // ---- changing the tree ----

  @Override
  public void mknod(String path, int mode, long rdev) throws IOException {
    root.at(
        "mknod",
        TreePath.of("mknod", path),
        EEXIST,
        (d, n, e) -> {
          long r = ok(TreeCalls.mknodat(d, n, mode, rdev));
          return r < 0 ? r : TreeNodes.settle(d, n, mode, false);
        });
  }

  @Override
  public void mkdir(String path, int mode) throws IOException {
    root.at(
        "mkdir",
        TreePath.of("mkdir", path),
        EEXIST,
        (d, n, e) -> {
          long r = ok(TreeCalls.mkdirat(d, n, mode & 07777));
          return r < 0 ? r : TreeNodes.settle(d, n, mode, true);
        });
  }

  @Override
  public void unlink(String path) throws IOException {
    root.at(
        "unlink", TreePath.of("unlink", path), EBUSY, (d, n, e) -> ok(TreeCalls.unlinkat(d, n, 0)));
  }

  @Override
  public void rmdir(String path) throws IOException {
    root.at(
        "rmdir",
        TreePath.of("rmdir", path),
        EBUSY,
        (d, n, e) -> ok(TreeCalls.unlinkat(d, n, AT_REMOVEDIR)));
  }

  @Override
  public void rename(String from, String to, int flags) throws IOException {
    TreePath src = TreePath.of("rename", from);
    TreePath dst = TreePath.of("rename", to);
    if (flags != 0 && flags != 1 && flags != 2) { // RENAME_NOREPLACE, RENAME_EXCHANGE; no WHITEOUT
      throw fail(EINVAL, "rename", from);
    }
    long r =
        root.atRaw(
            "rename",
            src,
            EBUSY,
            (d1, n1, e1) ->
                root.atRaw(
                    "rename",
                    dst,
                    EBUSY,
                    (d2, n2, e2) -> ok(TreeCalls.renameat2(d1, n1, d2, n2, flags))));
    check(r, "rename", from + " -> " + to);
  }

  @Override
  public void link(String existing, String newPath) throws IOException {
    TreePath src = TreePath.of("link", existing);
    TreePath dst = TreePath.of("link", newPath);
    // No AT_SYMLINK_FOLLOW: a link to a symbolic link is a link to the link.
    long r =
        root.atRaw(
            "link",
            src,
            EPERM,
            (d1, n1, e1) ->
                root.atRaw(
                    "link", dst, EEXIST, (d2, n2, e2) -> ok(TreeCalls.linkat(d1, n1, d2, n2, 0))));
    check(r, "link", existing + " -> " + newPath);
  }

  @Override
  public void symlink(String path, String target) throws IOException {
    TreePath p = TreePath.of("symlink", path);
    byte[] t = TreePath.text("symlink", path, "target", target);
    root.at("symlink", p, EEXIST, (d, n, e) -> ok(TreeCalls.symlinkat(t, d, n)));
  }

  @Override
  public void chmod(String path, int mode) throws IOException {
    TreePath p = TreePath.of("chmod", path);
    int rootFd = root.acquire("chmod", path);
    try {
      int pfd = TreeNodes.pathFd(rootFd, p.full());
      check(pfd, "chmod", path);
      try {
        check(TreeNodes.chmod(pfd, mode & 07777), "chmod", path);
      } finally {
        TreeCalls.close(pfd);
      }
    } finally {
      root.release();
    }
  }

  @Override
  public void chown(String path, int uid, int gid) throws IOException {
    root.at(
        "chown",
        TreePath.of("chown", path),
        0,
        (d, n, e) -> ok(TreeCalls.fchownat(d, n, uid, gid, AT_SYMLINK_NOFOLLOW | e)));
  }

  @Override
  public void setTimes(String path, long atimeNanos, long mtimeNanos) throws IOException {
    TreePath p = TreePath.of("utimensat", path);
    Memory ts = TIMES.get();
    timespec(ts, 0, atimeNanos);
    timespec(ts, 16, mtimeNanos);
    root.at(
        "utimensat", p, 0, (d, n, e) -> ok(TreeCalls.utimensat(d, n, ts, AT_SYMLINK_NOFOLLOW | e)));
  }

  @Override
  public void setXattr(String path, String name, byte[] value, int flags) throws IOException {
    TreeXattrs.set(root, path, name, value, flags);
  }

  @Override
  public void removeXattr(String path, String name) throws IOException {
    TreeXattrs.remove(root, path, name);
  }

  @Override
  public void sync(String path, boolean dataOnly) throws IOException {
    TreePath p = TreePath.of("fsync", path);
    int rootFd = root.acquire("fsync", path);
    try {
      int fd = TreeNodes.openChecked(rootFd, p.full(), O_RDONLY, true);
      check(fd, "fsync", path);
      try {
        check(ok(dataOnly ? TreeCalls.fdatasync(fd) : TreeCalls.fsync(fd)), "fsync", path);
      } finally {
        TreeCalls.close(fd);
      }
    } finally {
      root.release();
    }
  }

  @Override
  public void syncAll() throws IOException {
    int rootFd = root.acquire("syncfs", "/");
    try {
      // syncfs refuses an O_PATH descriptor (EBADF): a readable one for the call.
      int fd = TreeCalls.openBeneath(rootFd, DOT, O_RDONLY | O_DIRECTORY, 0);
      check(fd, "syncfs", "/");
      try {
        check(ok(TreeCalls.syncfs(fd)), "syncfs", "/");
      } finally {
        TreeCalls.close(fd);
      }
    } finally {
      root.release();
    }
  }

  @Override
  public void close() throws IOException {
    int r = root.close();
    onClose.accept(this);
    if (r < 0) {
      throw fail(-r, "close", directory.toString());
    }
  }

  @Override
  public String toString() {
    return "LocalTree[" + directory + (root.isClosed() ? ", closed]" : "]");
  }

  static void timespec(Memory ts, int at, long nanos) {
    if (nanos == SetTimes.NOW || nanos == SetTimes.OMIT) {
      ts.setLong(at, 0);
      ts.setLong(at + 8, nanos == SetTimes.NOW ? UTIME_NOW : UTIME_OMIT);
    } else {
      ts.setLong(at, Math.floorDiv(nanos, 1_000_000_000L));
      ts.setLong(at + 8, Math.floorMod(nanos, 1_000_000_000L));
    }
  }
}
