package org.bulwark.fuse.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * The operations of the model test and their random generation. One {@link Op} is applied to a root
 * directory and answers a string holding everything the application could observe (return values,
 * errno, data read), so that the mount and the plain directory can be compared.
 */
final class ModelOps {
  static final String[] PATHS = {
    "f0", "f1", "f2", "d0", "d1", "d0/f0", "d0/f1", "d1/f0", "d0/d2", "d0/d2/f0", "l0", "d0/l1"
  };
  static final String[] FILES = {"f0", "f1", "f2", "d0/f0", "d0/f1", "d1/f0", "d0/d2/f0"};
  static final String[] DIRS = {"d0", "d1", "d0/d2"};
  static final String[] LINK_TARGETS = {"f0", "d0", "d0/f0", "l0", "nothing", "f1"};
  static final String[] NESTED_TARGETS = {"../f1", "f0", "../l0", "l1", "d2/f0"};
  static final int[] MODES = {0600, 0644, 0755, 0777, 0700, 04755, 0640};

  enum Kind {
    WRITE,
    READ,
    TRUNCATE,
    FALLOCATE,
    MKDIR,
    RMDIR,
    UNLINK,
    RENAME,
    LINK,
    SYMLINK,
    READLINK,
    CHMOD,
    UTIMENS,
    SETXATTR,
    GETXATTR,
    MKFIFO,
    STAT,
    LIST,
    UNLINK_OPEN,
    /**
     * Empties the thread's directory and makes {@link #DIRS} again: random trees drift into states
     * where most calls fail.
     */
    CLEAN
  }

  static final Op CLEAN = new Op(Kind.CLEAN, "", null, 0, 0, 0, 0);

  /** One operation: paths relative to the thread's root, numbers drawn once for both sides. */
  record Op(Kind kind, String a, String b, int flags, long offset, int length, long dataSeed) {
    @Override
    public String toString() {
      return kind
          + "("
          + a
          + (b == null ? "" : ", " + b)
          + ", flags="
          + flags
          + ", off="
          + offset
          + ", len="
          + length
          + ")";
    }
  }

  private ModelOps() {}

  static Op next(Random r) {
    Kind k = Kind.values()[r.nextInt(Kind.CLEAN.ordinal())];
    if (r.nextInt(3) == 0) {
      k = r.nextBoolean() ? Kind.WRITE : Kind.READ; // data operations are the heart of fsx
    } else if (r.nextInt(8) == 0) {
      k = Kind.MKDIR; // directories must exist for most paths to be valid
    }
    // Mostly the right kind of node for the operation, sometimes any: both paths and errors.
    boolean dirOp = k == Kind.MKDIR || k == Kind.RMDIR || k == Kind.LIST;
    String[] likely = dirOp ? DIRS : FILES;
    String a =
        r.nextInt(5) == 0 ? PATHS[r.nextInt(PATHS.length)] : likely[r.nextInt(likely.length)];
    String b =
        r.nextInt(5) == 0 ? PATHS[r.nextInt(PATHS.length)] : likely[r.nextInt(likely.length)];
    if (k == Kind.SYMLINK) {
      a = r.nextBoolean() ? "l0" : "d0/l1";
      b =
          a.equals("l0")
              ? LINK_TARGETS[r.nextInt(LINK_TARGETS.length)]
              : NESTED_TARGETS[r.nextInt(NESTED_TARGETS.length)];
    }
    long offset = r.nextInt(8) == 0 ? r.nextInt(4 << 20) : r.nextInt(300_000);
    int length = 1 + (r.nextInt(4) == 0 ? r.nextInt(200_000) : r.nextInt(9000));
    return new Op(k, a, b, r.nextInt(1 << 16), offset, length, r.nextLong());
  }

  static String apply(String root, Op op) {
    String a = root + "/" + op.a();
    String b = op.b() == null ? null : root + "/" + op.b();
    int f = op.flags();
    switch (op.kind()) {
      case WRITE:
        return write(a, op, f);
      case READ:
        return read(a, op);
      case TRUNCATE:
        return rc(Sys.C.truncate(a, op.offset()));
      case FALLOCATE:
        return withFd(
            a,
            Sys.O_RDWR,
            fd -> rc(Sys.C.fallocate(fd, (f & 1) == 0 ? 0 : 3, op.offset(), op.length())));
      case MKDIR:
        return rc(Sys.C.mkdir(a, MODES[f % MODES.length] & 0777));
      case RMDIR:
        return rc(Sys.C.rmdir(a));
      case UNLINK:
        return rc(Sys.C.unlink(a));
      case RENAME:
        return rc(Sys.C.renameat2(Sys.AT_FDCWD, a, Sys.AT_FDCWD, b, f % 3));
      case LINK:
        return rc(Sys.C.link(a, b));
      case SYMLINK:
        return rc(Sys.C.symlink(op.b(), a));
      case READLINK:
        byte[] buf = new byte[256];
        long n = Sys.C.readlink(a, buf, buf.length);
        return n < 0 ? "E" + Sys.errno() : new String(buf, 0, (int) n, StandardCharsets.UTF_8);
      case CHMOD:
        return rc(Sys.C.chmod(a, MODES[f % MODES.length]));
      case UTIMENS:
        long[] times = {1_600_000_000L + f, 123, 1_700_000_000L + f, 456_789};
        return rc(Sys.C.utimensat(Sys.AT_FDCWD, a, times, (f & 1) == 0 ? 0 : 0x100));
      case SETXATTR:
        byte[] v = ("v" + f).getBytes(StandardCharsets.UTF_8);
        return rc(Sys.C.setxattr(a, (f & 1) == 0 ? "user.a" : "user.b", v, v.length, (f >> 1) % 3));
      case GETXATTR:
        return getxattr(a, (f & 1) == 0 ? "user.a" : "user.b");
      case MKFIFO:
        return rc(Sys.C.mknod(a, 0010000 | (MODES[f % MODES.length] & 0777), 0));
      case STAT:
        Sys.Stat st = Sys.lstat(a);
        return st == null ? "E" + Sys.errno() : describe(st);
      case LIST:
        String[] names = new java.io.File(a).list();
        if (names == null) {
          return "null";
        }
        Arrays.sort(names);
        return String.join(",", names);
      case UNLINK_OPEN:
        return withFd(
            a,
            Sys.O_RDWR,
            fd -> {
              String u = rc(Sys.C.unlink(a));
              byte[] data = data(op);
              long w = Sys.C.pwrite(fd, data, data.length, op.offset() % 70_000);
              String wr = w < 0 ? "E" + Sys.errno() : Long.toString(w);
              return u + "/" + wr + "/" + readFd(fd, 0, 80_000);
            });
      case CLEAN:
        TestDirs.deleteContents(Path.of(root));
        StringBuilder made = new StringBuilder();
        for (String d : DIRS) {
          made.append(rc(Sys.C.mkdir(root + "/" + d, 0755))).append(' ');
        }
        String[] left = new java.io.File(root).list();
        return made + (left == null ? "null" : Integer.toString(left.length));
      default:
        throw new AssertionError(op.kind());
    }
  }

  static String describe(Sys.Stat st) {
    boolean dir = (st.mode() & 0170000) == 0040000;
    return "mode="
        + Integer.toOctalString(st.mode())
        + " nlink="
        + st.nlink()
        + " uid="
        + st.uid()
        + " gid="
        + st.gid()
        + (dir ? "" : " size=" + st.size());
  }

  private static String write(String path, Op op, int f) {
    int flags = Sys.O_WRONLY | Sys.O_NONBLOCK;
    flags |= (f & 3) != 0 ? Sys.O_CREAT : 0;
    flags |= (f & 14) == 14 ? Sys.O_EXCL : 0;
    flags |= (f & 24) == 24 ? Sys.O_TRUNC : 0;
    flags |= (f & 96) == 96 ? Sys.O_APPEND : 0;
    int fd = Sys.C.open(path, flags, MODES[(f >> 8) % MODES.length]);
    if (fd < 0) {
      return "open E" + Sys.errno();
    }
    byte[] data = data(op);
    long n = Sys.C.pwrite(fd, data, data.length, op.offset());
    String out = n < 0 ? "E" + Sys.errno() : Long.toString(n);
    return out + " close " + rc(Sys.C.close(fd));
  }

  private static String read(String path, Op op) {
    return withFd(path, Sys.O_RDONLY, fd -> readFd(fd, op.offset(), op.length()));
  }

  private static String readFd(int fd, long offset, int length) {
    byte[] buf = new byte[length];
    long n = Sys.C.pread(fd, buf, length, offset);
    if (n < 0) {
      return "E" + Sys.errno();
    }
    return n + "#" + Arrays.hashCode(Arrays.copyOf(buf, (int) n));
  }

  private static String getxattr(String path, String name) {
    byte[] buf = new byte[64];
    long n = Sys.C.getxattr(path, name, buf, buf.length);
    return n < 0 ? "E" + Sys.errno() : new String(buf, 0, (int) n, StandardCharsets.UTF_8);
  }

  private interface FdAction {
    String run(int fd);
  }

  private static String withFd(String path, int flags, FdAction action) {
    int fd = Sys.C.open(path, flags | Sys.O_NONBLOCK, 0);
    if (fd < 0) {
      return "open E" + Sys.errno();
    }
    try {
      return action.run(fd);
    } finally {
      Sys.C.close(fd);
    }
  }

  static byte[] data(Op op) {
    byte[] d = new byte[op.length()];
    new Random(op.dataSeed()).nextBytes(d);
    return d;
  }

  private static String rc(int rc) {
    return rc < 0 ? "E" + Sys.errno() : "ok";
  }
}
