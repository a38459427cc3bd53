package org.bulwark.fuse.internal;

import com.sun.jna.Memory;
import org.bulwark.api.fs.FileOperation.SetTimes;
import org.bulwark.api.fs.FileStat;
import org.bulwark.api.fs.FileType;

/**
 * {@code statx} into {@link FileStat}. {@code struct statx} has one layout on every architecture
 * (unlike {@code struct stat}), so nothing here depends on the machine.
 */
final class TreeStat {
  private static final int STATX_BASIC_STATS = 0x7ff;
  private static final int STATX_TYPE = 0x1;
  private static final int STATX_MODE = 0x2;
  private static final int SIZE = 256;
  private static final ThreadLocal<Memory> BUF = ThreadLocal.withInitial(() -> new Memory(SIZE));

  private static final long NANOS = 1_000_000_000L;

  private TreeStat() {}

  /** The whole stat of {@code path} in {@code dirfd}, or null with {@link TreeCalls#lastError}. */
  static FileStat stat(int dirfd, byte[] path, int flags) {
    Memory m = BUF.get();
    if (TreeCalls.statx(dirfd, path, flags, STATX_BASIC_STATS, m) != 0) {
      return null;
    }
    int mode = m.getShort(28) & 0xffff;
    return new FileStat(
        FileType.of(mode),
        mode & 07777,
        m.getInt(20),
        m.getInt(24),
        m.getLong(40),
        m.getInt(16) & 0xffffffffL,
        m.getLong(32),
        makedev(m.getInt(136), m.getInt(140)),
        makedev(m.getInt(128), m.getInt(132)),
        nanos(m.getLong(64), m.getInt(72)),
        nanos(m.getLong(112), m.getInt(120)),
        m.getLong(48));
  }

  /** {@code st_mode} (type and permission bits) of what {@code fd} refers to, or -errno. */
  static int mode(int fd) {
    Memory m = BUF.get();
    if (TreeCalls.statx(
            fd,
            TreePath.empty(),
            TreeCalls.AT_EMPTY_PATH | TreeCalls.AT_SYMLINK_NOFOLLOW,
            STATX_TYPE | STATX_MODE,
            m)
        != 0) {
      return TreeCalls.lastError();
    }
    return m.getShort(28) & 0xffff;
  }

  /** glibc's {@code makedev}: the {@code dev_t} that {@code stat} and {@code mknod} use. */
  static long makedev(int major, int minor) {
    long ma = major & 0xffffffffL;
    long mi = minor & 0xffffffffL;
    return ((ma & 0xfffff000L) << 32)
        | ((ma & 0xfffL) << 8)
        | ((mi & 0xffffff00L) << 12)
        | (mi & 0xffL);
  }

  /**
   * Seconds and nanoseconds as nanoseconds since the epoch. Times outside 1677–2262 saturate, and
   * never to {@link SetTimes#NOW} or {@link SetTimes#OMIT}, which a replicated stat would otherwise
   * turn into "now" or "unchanged".
   */
  static long nanos(long sec, int nsec) {
    if (sec >= Long.MAX_VALUE / NANOS) {
      return Long.MAX_VALUE;
    }
    if (sec <= Long.MIN_VALUE / NANOS) {
      return SetTimes.OMIT + 1;
    }
    return sec * NANOS + (nsec & 0xffffffffL);
  }
}
