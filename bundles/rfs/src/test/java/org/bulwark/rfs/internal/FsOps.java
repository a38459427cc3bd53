package org.bulwark.rfs.internal;

import static org.bulwark.rfs.internal.Posix.C;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The operations of the replication model test (fsx style), drawn at random over a small set of
 * names so that they meet each other (a rename over a file being written, a link to a file then
 * unlinked …), and applied through a primary's mount as an application makes them: one system call
 * each (or open, call, close), every open with {@code O_NOFOLLOW | O_NONBLOCK} so that nothing
 * follows a link out of its subtree or blocks on a fifo.
 */
final class FsOps {
  static final String[] PATHS = {
    "f0", "f1", "f2", "d0", "d1", "d0/f0", "d0/f1", "d1/f0", "d0/d2", "d0/d2/f0", "l0", "d0/l1"
  };
  static final String[] FILES = {"f0", "f1", "f2", "d0/f0", "d0/f1", "d1/f0", "d0/d2/f0"};
  static final String[] DIRS = {"d0", "d1", "d0/d2"};
  // relative, at most one "..": whatever a link is renamed to, it points inside the subtree's
  // parent
  static final String[] TOP_TARGETS = {"f0", "d0", "d0/f0", "l0", "nothing", "f1"};
  static final String[] NESTED_TARGETS = {"../f1", "f0", "../l0", "l1", "d2/f0"};
  static final int[] FILE_MODES = {0600, 0644, 0755, 0700, 0640, 0711, 0604};
  static final int[] DIR_MODES = {0755, 0700, 0711, 01777, 0750};
  static final int[] IDS = {-1, 0, 1000, 1001, 65534};

  /** WRITE flags. */
  static final int CREAT = 1;

  static final int EXCL = 2;
  static final int TRUNC = 4;
  static final int APPEND = 8;

  enum Kind {
    WRITE(30),
    TRUNCATE(5),
    FALLOCATE(4),
    MKDIR(9),
    RMDIR(4),
    UNLINK(5),
    RENAME(11),
    LINK(5),
    SYMLINK(4),
    CHMOD(4),
    CHOWN(4),
    UTIMENS(4),
    SETXATTR(5),
    REMOVEXATTR(2),
    MKFIFO(2),
    FSYNC(2),
    UNLINK_OPEN(2);

    final int weight;

    Kind(int weight) {
      this.weight = weight;
    }
  }

  /**
   * One operation, every number drawn once: {@code flags} per kind (WRITE bits, renameat2 flags,
   * fallocate mode, xattr flags, UTIME_NOW), {@code mode} the mode or, for CHOWN, uid and gid.
   */
  record Op(
      Kind kind, String a, String b, int flags, int mode, long offset, int length, long seed) {
    @Override
    public String toString() {
      return kind
          + "("
          + a
          + (b == null ? "" : ", " + b)
          + ", flags="
          + flags
          + ", mode="
          + Integer.toOctalString(mode)
          + ", off="
          + offset
          + ", len="
          + length
          + ")";
    }

    /** The same operation on another path. */
    Op on(String path) {
      return new Op(kind, path, b, flags, mode, offset, length, seed);
    }

    /** The same operation, a WRITE without {@code O_APPEND}. */
    Op withoutAppend() {
      return kind == Kind.WRITE
          ? new Op(kind, a, b, flags & ~APPEND, mode, offset, length, seed)
          : this;
    }

    /** Whether it writes through a descriptor it opens (the file may be unlinked meanwhile). */
    boolean throughDescriptor() {
      return kind == Kind.WRITE
          || kind == Kind.TRUNCATE
          || kind == Kind.FALLOCATE
          || kind == Kind.UNLINK_OPEN;
    }

    int uid() {
      return IDS[mode % IDS.length];
    }

    int gid() {
      return IDS[(mode / IDS.length) % IDS.length];
    }
  }

  private FsOps() {}

  /** The next operation, of one of {@code kinds}. */
  static Op next(Random r, Set<Kind> kinds) {
    int w = r.nextInt(kinds.stream().mapToInt(k -> k.weight).sum());
    Kind k = Kind.WRITE;
    for (Kind each : kinds) {
      if (w < each.weight) {
        k = each;
        break;
      }
      w -= each.weight;
    }
    String[] likely = k == Kind.MKDIR || k == Kind.RMDIR ? DIRS : FILES;
    String a = pick(r, r.nextInt(5) == 0 ? PATHS : likely);
    String b = pick(r, r.nextInt(3) == 0 ? PATHS : likely);
    int flags = 0;
    int mode = FILE_MODES[r.nextInt(FILE_MODES.length)];
    switch (k) {
      case WRITE -> {
        flags |= r.nextInt(4) != 0 ? CREAT : 0;
        flags |= r.nextInt(10) == 0 ? EXCL : 0;
        flags |= r.nextInt(10) == 0 ? TRUNC : 0;
        flags |= r.nextInt(7) == 0 ? APPEND : 0;
      }
      case FALLOCATE -> flags = r.nextBoolean() ? 0 : Posix.FALLOC_PUNCH_HOLE;
      case RENAME -> flags = r.nextInt(5) < 3 ? 0 : r.nextBoolean() ? 1 : 2;
      case MKDIR -> mode = DIR_MODES[r.nextInt(DIR_MODES.length)];
      case CHMOD -> mode = r.nextBoolean() ? mode : DIR_MODES[r.nextInt(DIR_MODES.length)];
      case CHOWN -> mode = r.nextInt(IDS.length * IDS.length);
      case SETXATTR -> {
        flags = r.nextInt(3);
        b = r.nextBoolean() ? "user.a" : "user.b";
      }
      case REMOVEXATTR -> b = r.nextBoolean() ? "user.a" : "user.b";
      case UTIMENS -> flags = r.nextInt(4) == 0 ? 1 : 0;
      case SYMLINK -> {
        a = r.nextBoolean() ? "l0" : "d0/l1";
        b = a.equals("l0") ? pick(r, TOP_TARGETS) : pick(r, NESTED_TARGETS);
      }
      default -> {}
    }
    long offset = r.nextInt(8) == 0 ? r.nextInt(2 << 20) : r.nextInt(200_000);
    int length = 1 + (r.nextInt(6) == 0 ? r.nextInt(200_000) : r.nextInt(9000));
    boolean twoPaths =
        k == Kind.RENAME
            || k == Kind.LINK
            || k == Kind.SYMLINK
            || k == Kind.SETXATTR
            || k == Kind.REMOVEXATTR;
    return new Op(k, a, twoPaths ? b : null, flags, mode, offset, length, r.nextLong());
  }

  private static String pick(Random r, String[] from) {
    return from[r.nextInt(from.length)];
  }

  static byte[] data(Op op) {
    byte[] d = new byte[op.length()];
    new Random(op.seed()).nextBytes(d);
    return d;
  }

  static byte[] xattrValue(Op op) {
    return ("v" + (op.seed() & 0xffff)).getBytes(StandardCharsets.UTF_8);
  }

  /** Applies {@code op} beneath {@code root} (through the mount); 0 or the errno it failed with. */
  static int apply(String root, Op op) {
    String a = root + "/" + op.a();
    String b = op.b() == null ? null : root + "/" + op.b();
    final int nofollow = Posix.O_NOFOLLOW | Posix.O_NONBLOCK | Posix.O_CLOEXEC;
    return switch (op.kind()) {
      case WRITE -> write(a, op);
      case TRUNCATE -> withFd(a, Posix.O_WRONLY | nofollow, fd -> C.ftruncate(fd, op.offset()));
      case FALLOCATE ->
          withFd(
              a,
              Posix.O_RDWR | nofollow,
              fd -> C.fallocate(fd, op.flags(), op.offset(), op.length()));
      case MKDIR -> rc(C.mkdir(a, op.mode()));
      case RMDIR -> rc(C.rmdir(a));
      case UNLINK -> rc(C.unlink(a));
      case RENAME -> rc(C.renameat2(Posix.AT_FDCWD, a, Posix.AT_FDCWD, b, op.flags()));
      case LINK -> rc(C.link(a, b));
      case SYMLINK -> rc(C.symlink(op.b(), a));
      case CHMOD -> rc(C.chmod(a, op.mode()));
      case CHOWN -> rc(C.lchown(a, op.uid(), op.gid()));
      case UTIMENS -> {
        long mtimeNanos = op.flags() == 1 ? Posix.UTIME_NOW : op.offset() * 331 % 1_000_000_000;
        long[] times = {
          1_600_000_000L + op.length(), 123, 1_650_000_000L + op.offset(), mtimeNanos
        };
        yield rc(C.utimensat(Posix.AT_FDCWD, a, times, Posix.AT_SYMLINK_NOFOLLOW));
      }
      case SETXATTR -> {
        byte[] v = xattrValue(op);
        yield rc(C.lsetxattr(a, op.b(), v, v.length, op.flags()));
      }
      case REMOVEXATTR -> rc(C.lremovexattr(a, op.b()));
      case MKFIFO -> rc(C.mknod(a, Posix.S_IFIFO | op.mode(), 0));
      case FSYNC -> withFd(a, Posix.O_RDONLY | nofollow, C::fsync);
      case UNLINK_OPEN ->
          withFd(
              a,
              Posix.O_RDWR | nofollow,
              fd -> {
                if (C.unlink(a) != 0) {
                  return -1;
                }
                byte[] d = data(op);
                return C.pwrite(fd, d, d.length, op.offset() % 70_000) == d.length ? 0 : -1;
              });
    };
  }

  private static int write(String path, Op op) {
    int flags = Posix.O_WRONLY | Posix.O_NOFOLLOW | Posix.O_NONBLOCK | Posix.O_CLOEXEC;
    flags |= (op.flags() & CREAT) != 0 ? Posix.O_CREAT : 0;
    flags |= (op.flags() & EXCL) != 0 ? Posix.O_EXCL : 0;
    flags |= (op.flags() & TRUNC) != 0 ? Posix.O_TRUNC : 0;
    boolean append = (op.flags() & APPEND) != 0;
    flags |= append ? Posix.O_APPEND : 0;
    int fd = C.open(path, flags, op.mode());
    if (fd < 0) {
      return Posix.errno();
    }
    try {
      byte[] d = data(op);
      long n = append ? C.write(fd, d, d.length) : C.pwrite(fd, d, d.length, op.offset());
      if (n < 0) {
        return Posix.errno();
      }
      if (n != d.length) {
        throw new AssertionError("short write " + n + " of " + d.length + " to " + path);
      }
      return 0;
    } finally {
      C.close(fd);
    }
  }

  private interface FdCall {
    int run(int fd);
  }

  /** Opens, calls, closes: 0, or the errno of the first step that failed. */
  private static int withFd(String path, int flags, FdCall call) {
    int fd = C.open(path, flags, 0);
    if (fd < 0) {
      return Posix.errno();
    }
    try {
      return call.run(fd) == 0 ? 0 : Math.max(1, Posix.errno());
    } finally {
      C.close(fd);
    }
  }

  private static int rc(int rc) {
    return rc == 0 ? 0 : Math.max(1, Posix.errno());
  }

  /** Empties {@code root} and makes {@link #DIRS} again (random trees drift to where all fails). */
  static void clean(Path root) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(root)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      if (!p.equals(root)) {
        Files.delete(p);
      }
    }
    for (String d : DIRS) {
      Posix.check("mkdir " + d, C.mkdir(root + "/" + d, 0755));
    }
  }
}
