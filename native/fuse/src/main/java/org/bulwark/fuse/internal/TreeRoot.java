package org.bulwark.fuse.internal;

import static org.bulwark.fuse.internal.TreeCalls.AT_EMPTY_PATH;
import static org.bulwark.fuse.internal.TreeCalls.O_DIRECTORY;
import static org.bulwark.fuse.internal.TreeCalls.O_PATH;

import org.bulwark.api.fs.ErrnoException;

/**
 * The root descriptor of a {@link ConfinedTree} and the way namespace calls reach a name beneath
 * it: the parent directory opened with {@code openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS)}, then one {@code *at} call on the last name. Also the errors: {@code
 * -errno} inside, {@link ErrnoException} ("call path: strerror") at the API.
 */
final class TreeRoot {
  /**
   * One system call on (directory, name), or on (root, "") with AT_EMPTY_PATH: result or -errno.
   */
  @FunctionalInterface
  interface AtCall {
    long call(int dirfd, byte[] name, int emptyPath) throws ErrnoException;
  }

  private final SharedFd fd;

  TreeRoot(int fd) {
    this.fd = new SharedFd(fd);
  }

  /** The root descriptor for one call, to {@link #release} after; EBADF once the tree is closed. */
  int acquire(String call, String path) throws ErrnoException {
    return fd.acquire(call, TreePath.show(path));
  }

  void release() {
    fd.release();
  }

  int close() {
    return fd.close();
  }

  boolean isClosed() {
    return fd.isClosed();
  }

  /** {@link #atRaw}, failing with the errno. */
  long at(String call, TreePath p, int rootErrno, AtCall op) throws ErrnoException {
    long r = atRaw(call, p, rootErrno, op);
    check(r, call, p.text());
    return r;
  }

  /**
   * Runs {@code op} on the path's parent directory and last name: the root's descriptor for a
   * one-component path, else the parent opened beneath the root ({@code O_PATH | O_DIRECTORY}). On
   * the root itself, {@code -rootErrno} when not zero, else {@code op} on (root, "",
   * AT_EMPTY_PATH). A parent that cannot be resolved gives its -errno (ENOENT, ENOTDIR, ELOOP for a
   * link …).
   */
  long atRaw(String call, TreePath p, int rootErrno, AtCall op) throws ErrnoException {
    if (p.isRoot() && rootErrno != 0) {
      return -rootErrno;
    }
    int rootFd = acquire(call, p.text());
    try {
      if (p.isRoot()) {
        return op.call(rootFd, TreePath.empty(), AT_EMPTY_PATH);
      }
      if (p.parent() == null) {
        return op.call(rootFd, p.name(), 0);
      }
      int dir = TreeCalls.openBeneath(rootFd, p.parent(), O_PATH | O_DIRECTORY, 0);
      if (dir < 0) {
        return dir;
      }
      try {
        return op.call(dir, p.name(), 0);
      } finally {
        TreeCalls.close(dir);
      }
    } finally {
      release();
    }
  }

  /** A libc result: itself, or -errno when it is negative. */
  static long ok(long result) {
    return result < 0 ? TreeCalls.lastError() : result;
  }

  static void check(long result, String call, String path) throws ErrnoException {
    if (result < 0) {
      throw fail((int) -result, call, path);
    }
  }

  static ErrnoException fail(int errno, String call, String path) {
    return new ErrnoException(
        errno, call + " " + TreePath.show(path) + ": " + TreeCalls.describe(errno));
  }
}
