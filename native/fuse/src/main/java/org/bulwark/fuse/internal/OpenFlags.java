package org.bulwark.fuse.internal;

import static org.bulwark.fuse.internal.TreeCalls.EEXIST;
import static org.bulwark.fuse.internal.TreeCalls.ENOENT;
import static org.bulwark.fuse.internal.TreeCalls.O_ACCMODE;
import static org.bulwark.fuse.internal.TreeCalls.O_CLOEXEC;
import static org.bulwark.fuse.internal.TreeCalls.O_CREAT;
import static org.bulwark.fuse.internal.TreeCalls.O_DSYNC;
import static org.bulwark.fuse.internal.TreeCalls.O_EXCL;
import static org.bulwark.fuse.internal.TreeCalls.O_LARGEFILE;
import static org.bulwark.fuse.internal.TreeCalls.O_NOATIME;
import static org.bulwark.fuse.internal.TreeCalls.O_NOCTTY;
import static org.bulwark.fuse.internal.TreeCalls.O_NOFOLLOW;
import static org.bulwark.fuse.internal.TreeCalls.O_NONBLOCK;
import static org.bulwark.fuse.internal.TreeCalls.O_SYNC;
import static org.bulwark.fuse.internal.TreeCalls.O_TRUNC;

/**
 * {@link ConfinedTree#open}: which {@code open(2)} flags it takes, and the opening itself.
 *
 * <p>Accepted: the access mode, {@code O_CREAT}, {@code O_EXCL}, {@code O_TRUNC}, {@code O_DSYNC},
 * {@code O_SYNC}, {@code O_NOATIME}; ignored: {@code O_NOFOLLOW} and {@code O_CLOEXEC} (always
 * added), {@code O_LARGEFILE}, {@code O_NOCTTY}, {@code O_NONBLOCK} (no meaning for a regular
 * file). Anything else is EINVAL, in particular {@code O_APPEND} (Linux's {@code pwrite} then
 * ignores the offset, and {@link org.bulwark.api.fs.LocalTree.OpenFile#write} promises the offset),
 * {@code O_DIRECT} (buffers here are not aligned), {@code O_PATH}, {@code O_DIRECTORY} and {@code
 * O_TMPFILE}.
 */
final class OpenFlags {
  private static final int TAKEN = O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_SYNC | O_DSYNC;
  private static final int IGNORED = O_NOFOLLOW | O_CLOEXEC | O_LARGEFILE | O_NOCTTY | O_NONBLOCK;
  private static final int CREATE_ATTEMPTS = 3;

  private OpenFlags() {}

  /** The bits that make {@code flags} unacceptable, or 0. */
  static int check(int flags) {
    int bad = flags & ~(TAKEN | O_NOATIME | IGNORED);
    if ((flags & O_ACCMODE) == O_ACCMODE) {
      bad |= O_ACCMODE;
    }
    return bad;
  }

  /**
   * Opens a regular file beneath the root: the descriptor or -errno. With {@code O_CREAT}, an
   * exclusive create first (nothing existing is opened that way, and the file is known to be ours
   * to give exactly {@code mode}); when something is already there (and {@code O_EXCL} was not
   * asked), it is opened only if it is a regular file ({@link TreeNodes#openChecked}). A file
   * removed between the two is created again, a few times at most.
   */
  static int open(int rootFd, TreePath p, int flags, int mode) {
    int base = (flags & (TAKEN | O_NOATIME) & ~(O_CREAT | O_EXCL)) | O_NOFOLLOW;
    for (int attempt = 1; ; attempt++) {
      if ((flags & O_CREAT) != 0) {
        int fd = TreeCalls.openBeneath(rootFd, p.full(), base | O_CREAT | O_EXCL, mode & 07777);
        if (fd >= 0) {
          int r = TreeNodes.exact(fd, mode & 07777);
          if (r < 0) {
            TreeCalls.close(fd);
            return r;
          }
          return fd;
        }
        if (fd != -EEXIST || (flags & O_EXCL) != 0) {
          return fd;
        }
      }
      int fd = TreeNodes.openChecked(rootFd, p.full(), base, false);
      if (fd != -ENOENT || (flags & O_CREAT) == 0 || attempt == CREATE_ATTEMPTS) {
        return fd;
      }
    }
  }
}
