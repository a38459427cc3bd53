package org.bulwark.fuse.internal;

import static org.bulwark.fuse.internal.TreeCalls.EINVAL;
import static org.bulwark.fuse.internal.TreeRoot.check;
import static org.bulwark.fuse.internal.TreeRoot.ok;

import com.sun.jna.Memory;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.fs.ErrnoException;

/**
 * Extended attributes of a {@link ConfinedTree}. The xattr calls have no {@code *at} form (before
 * Linux 6.13): they take {@code /proc/self/fd/<parent>/<name>} with the {@code l*} calls, where the
 * parent is the directory descriptor opened beneath the root, reached through a magic link we
 * generate ourselves, and the name, one checked component, is not followed. The root itself is
 * {@code /proc/self/fd/<root>/.}. One 64 KiB buffer per thread holds any value or name list
 * (XATTR_SIZE_MAX, XATTR_LIST_MAX).
 */
final class TreeXattrs {
  private static final int MAX = 64 * 1024;
  private static final ThreadLocal<Memory> BUF = ThreadLocal.withInitial(() -> new Memory(MAX));
  private static final byte[] DOT = {'.', 0};

  private TreeXattrs() {}

  static List<String> names(TreeRoot root, String path) throws ErrnoException {
    TreePath p = TreePath.of("listxattr", path);
    Memory buf = BUF.get();
    long n =
        root.at(
            "listxattr", p, 0, (d, nm, e) -> ok(TreeCalls.llistxattr(proc(d, nm, e), buf, MAX)));
    return TreeListing.names(buf, (int) n);
  }

  static Optional<byte[]> get(TreeRoot root, String path, String name) throws ErrnoException {
    TreePath p = TreePath.of("getxattr", path);
    byte[] key = TreePath.text("getxattr", path, "xattr name", name);
    Memory buf = BUF.get();
    long n =
        root.atRaw(
            "getxattr", p, 0, (d, nm, e) -> ok(TreeCalls.lgetxattr(proc(d, nm, e), key, buf, MAX)));
    if (n == -TreeCalls.ENODATA) {
      return Optional.empty();
    }
    check(n, "getxattr", path);
    return Optional.of(buf.getByteArray(0, (int) n));
  }

  static void set(TreeRoot root, String path, String name, byte[] value, int flags)
      throws ErrnoException {
    TreePath p = TreePath.of("setxattr", path);
    byte[] key = TreePath.text("setxattr", path, "xattr name", name);
    if ((flags & ~3) != 0 || flags == 3 || value == null) {
      throw TreeRoot.fail(EINVAL, "setxattr", path);
    }
    root.at(
        "setxattr",
        p,
        0,
        (d, nm, e) -> ok(TreeCalls.lsetxattr(proc(d, nm, e), key, value, value.length, flags)));
  }

  static void remove(TreeRoot root, String path, String name) throws ErrnoException {
    TreePath p = TreePath.of("removexattr", path);
    byte[] key = TreePath.text("removexattr", path, "xattr name", name);
    root.at("removexattr", p, 0, (d, nm, e) -> ok(TreeCalls.lremovexattr(proc(d, nm, e), key)));
  }

  /**
   * The parent's magic link (followed, to the directory we hold) then the name (not followed); for
   * the root, its magic link then ".".
   */
  private static byte[] proc(int dirfd, byte[] name, int emptyPath) {
    return TreeCalls.procFd(dirfd, emptyPath != 0 ? DOT : name);
  }
}
