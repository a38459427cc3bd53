package org.bulwark.fuse.internal;

import static org.bulwark.fuse.internal.TreeCalls.EISDIR;
import static org.bulwark.fuse.internal.TreeCalls.ELOOP;
import static org.bulwark.fuse.internal.TreeCalls.EOPNOTSUPP;
import static org.bulwark.fuse.internal.TreeCalls.EPERM;
import static org.bulwark.fuse.internal.TreeCalls.O_CLOEXEC;
import static org.bulwark.fuse.internal.TreeCalls.O_NOFOLLOW;
import static org.bulwark.fuse.internal.TreeCalls.O_PATH;
import static org.bulwark.fuse.internal.TreeCalls.S_IFDIR;
import static org.bulwark.fuse.internal.TreeCalls.S_IFLNK;
import static org.bulwark.fuse.internal.TreeCalls.S_IFMT;
import static org.bulwark.fuse.internal.TreeCalls.S_IFREG;

/**
 * Acting on one node through an {@code O_PATH} descriptor of the node itself. Such a descriptor
 * opens nothing (no device driver's {@code open}, no fifo wait), pins the inode it was resolved to
 * (beneath the root, the last component not followed: a symbolic link gives a descriptor of the
 * link), and its type can be checked on it, since an inode's type never changes. What the kernel
 * refuses to do on an {@code O_PATH} descriptor ({@code read}, {@code fchmod}) goes through {@code
 * /proc/self/fd/N}: a magic link to that very inode, which we generate ourselves, so once the type
 * is known not to be a symbolic link nothing more is followed. There is no window between check and
 * use. All methods return a result or {@code -errno}.
 */
final class TreeNodes {
  private TreeNodes() {}

  /** {@code O_PATH} descriptor of {@code path} beneath {@code dirfd} itself, or -errno. */
  static int pathFd(int dirfd, byte[] path) {
    return TreeCalls.openBeneath(dirfd, path, O_PATH | O_NOFOLLOW, 0);
  }

  /**
   * Opens a regular file (or, when {@code dirOk}, a directory) with {@code flags}, never anything
   * else: a fifo would block the caller and a device node planted in the tree (by a hostile peer's
   * {@code mknod}) would be opened for real (a watchdog, a disk). Symbolic link: ELOOP; directory:
   * EISDIR; any other type: EPERM.
   */
  static int openChecked(int dirfd, byte[] path, int flags, boolean dirOk) {
    int pfd = pathFd(dirfd, path);
    if (pfd < 0) {
      return pfd;
    }
    try {
      int mode = TreeStat.mode(pfd);
      if (mode < 0) {
        return mode;
      }
      int type = mode & S_IFMT;
      if (type == S_IFLNK) {
        return -ELOOP;
      }
      if (type == S_IFDIR && !dirOk) {
        return -EISDIR;
      }
      if (type != S_IFREG && type != S_IFDIR) {
        return -EPERM;
      }
      // No O_NOFOLLOW: the magic link itself must be followed, to the inode checked above.
      int fd = TreeCalls.open(TreeCalls.procFd(pfd, null), (flags & ~O_NOFOLLOW) | O_CLOEXEC, 0);
      return fd < 0 ? TreeCalls.lastError() : fd;
    } finally {
      TreeCalls.close(pfd);
    }
  }

  /**
   * chmod of the node itself, never of what a symbolic link points to. {@code fchmodat} follows the
   * last component; its {@code AT_SYMLINK_NOFOLLOW} needs {@code fchmodat2} (Linux 6.6+, and glibc
   * falls back to this very walk); {@code fchmod} refuses an {@code O_PATH} descriptor (EBADF). So:
   * {@code chmod("/proc/self/fd/N")} once the type is checked. A symbolic link has no mode of its
   * own on Linux: EOPNOTSUPP, as {@code fchmodat(AT_SYMLINK_NOFOLLOW)} answers.
   */
  static int chmod(int pathFd, int bits) {
    int mode = TreeStat.mode(pathFd);
    if (mode < 0) {
      return mode;
    }
    if ((mode & S_IFMT) == S_IFLNK) {
      return -EOPNOTSUPP;
    }
    return TreeCalls.chmod(TreeCalls.procFd(pathFd, null), bits) == 0 ? 0 : TreeCalls.lastError();
  }

  /**
   * After {@code mkdirat}/{@code mknodat}: the mode the call would have given with a zero umask
   * (the JVM's umask must not strip what the primary's application asked for). A file or node gets
   * exactly {@code mode & 07777}; a directory {@code mode & 01777} plus the set-group-ID bit it
   * inherited from its parent, as {@code mkdir(2)} does.
   */
  static int settle(int dirfd, byte[] name, int mode, boolean directory) {
    int pfd = pathFd(dirfd, name);
    if (pfd < 0) {
      return pfd;
    }
    try {
      int now = TreeStat.mode(pfd);
      if (now < 0) {
        return now;
      }
      int want = directory ? (mode & 01777) | (now & 02000) : mode & 07777;
      if ((now & 07777) == want || (now & S_IFMT) == S_IFLNK) {
        return 0; // right already, or replaced by a link meanwhile: not ours to change
      }
      return chmod(pfd, want);
    } finally {
      TreeCalls.close(pfd);
    }
  }

  /** A file just created through {@code fd}: exactly {@code bits}, whatever the umask took. */
  static int exact(int fd, int bits) {
    int now = TreeStat.mode(fd);
    if (now < 0) {
      return now;
    }
    if ((now & 07777) == bits) {
      return 0;
    }
    return TreeCalls.fchmod(fd, bits) == 0 ? 0 : TreeCalls.lastError();
  }
}
