package org.bulwark.rfs.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bulwark.rfs.internal.FsOps.Op;

/**
 * What one thread's private subtree must hold after its {@link FsOps}: names, types, modes, owners,
 * contents, link counts, link targets and user extended attributes (not times, which the kernel
 * sets). Each operation is first {@link #expect expected} — to succeed or to fail, as POSIX says
 * for the model's state — and, when it succeeded through the mount, {@link #apply applied}. A few
 * operations the model does not follow are left out ({@code null} from {@link #expect}): a chmod
 * that would follow a symbolic link, a symbolic link renamed to a directory's name (paths would
 * then go through it), an unlink of an open fifo, an exchange of a name with itself.
 */
final class FsModel {
  private static final class Inode {
    final char type; // f, d, l, o (fifo), as Trees prints them
    int mode;
    int uid;
    int gid;
    byte[] data = new byte[0];
    String target;
    final Map<String, byte[]> xattrs = new TreeMap<>();

    Inode(char type, int mode) {
      this.type = type;
      this.mode = mode;
    }
  }

  private final int umask;
  private final Map<String, Inode> names = new TreeMap<>();

  FsModel(int umask) {
    this.umask = umask;
    clean();
  }

  /** As {@link FsOps#clean}: the root and the three directories. */
  void clean() {
    names.clear();
    names.put("", new Inode('d', 0777 & ~umask));
    for (String d : FsOps.DIRS) {
      names.put(d, new Inode('d', 0755 & ~umask));
    }
  }

  private static String parent(String p) {
    int slash = p.lastIndexOf('/');
    return slash < 0 ? "" : p.substring(0, slash);
  }

  private boolean parentOk(String p) {
    Inode d = names.get(parent(p));
    return d != null && d.type == 'd';
  }

  private boolean empty(String dir) {
    String prefix = dir + "/";
    return names.keySet().stream().noneMatch(k -> k.startsWith(prefix));
  }

  /** Paths go through d0, d1, d0/d2: a symbolic link must never take one of their names. */
  private static boolean dirName(String p) {
    String base = p.substring(p.lastIndexOf('/') + 1);
    return base.equals("d0") || base.equals("d1") || base.equals("d2");
  }

  private static boolean linkTo(Inode i, String name) {
    return i != null && i.type == 'l' && dirName(name);
  }

  /** Whether {@code op} must succeed; null when the model leaves it out (it is not made). */
  Boolean expect(Op op) {
    String a = op.a();
    String b = op.b();
    Inode i = names.get(a);
    int f = op.flags();
    return switch (op.kind()) {
      case WRITE -> {
        if (!parentOk(a)) {
          yield false;
        }
        if (i == null) {
          yield (f & FsOps.CREAT) != 0;
        }
        yield (f & (FsOps.CREAT | FsOps.EXCL)) != (FsOps.CREAT | FsOps.EXCL) && i.type == 'f';
      }
      case TRUNCATE, FALLOCATE -> i != null && i.type == 'f';
      case MKDIR, SYMLINK, MKFIFO -> parentOk(a) && i == null;
      case RMDIR -> i != null && i.type == 'd' && empty(a);
      case UNLINK -> i != null && i.type != 'd';
      case RENAME -> rename(a, b, f, i);
      case LINK -> {
        if (linkTo(i, b)) {
          yield null;
        }
        yield i != null && i.type != 'd' && parentOk(b) && !names.containsKey(b);
      }
      case CHMOD -> i != null && i.type == 'l' ? null : Boolean.valueOf(i != null);
      case CHOWN, UTIMENS -> i != null;
      case SETXATTR -> {
        if (i == null || (i.type != 'f' && i.type != 'd')) {
          yield false;
        }
        boolean has = i.xattrs.containsKey(b);
        yield !(f == Posix.XATTR_CREATE && has) && !(f == Posix.XATTR_REPLACE && !has);
      }
      case REMOVEXATTR -> i != null && (i.type == 'f' || i.type == 'd') && i.xattrs.containsKey(b);
      case FSYNC -> i != null && (i.type == 'f' || i.type == 'd');
      case UNLINK_OPEN -> i == null ? Boolean.FALSE : i.type == 'f' ? Boolean.TRUE : null;
    };
  }

  private Boolean rename(String a, String b, int flags, Inode s) {
    Inode d = names.get(b);
    if (s == null) {
      return false;
    }
    if (a.equals(b)) {
      return flags == 0 ? true : null;
    }
    if (linkTo(s, b) || (flags == Posix.RENAME_EXCHANGE && linkTo(d, a))) {
      return null;
    }
    if (!parentOk(b) || b.startsWith(a + "/")) {
      return false;
    }
    if (flags == Posix.RENAME_EXCHANGE) {
      return d != null && !a.startsWith(b + "/");
    }
    if (d == null) {
      return true;
    }
    if (flags == Posix.RENAME_NOREPLACE) {
      return false;
    }
    if (d == s) {
      return true; // two names of one file: nothing happens
    }
    if (s.type == 'd') {
      return d.type == 'd' && empty(b);
    }
    return d.type != 'd';
  }

  /** The effect of {@code op}, which succeeded. */
  void apply(Op op) {
    String a = op.a();
    Inode i = names.get(a);
    switch (op.kind()) {
      case WRITE -> {
        if (i == null) {
          i = new Inode('f', op.mode() & ~umask & 07777);
          names.put(a, i);
        }
        if ((op.flags() & FsOps.TRUNC) != 0) {
          i.data = new byte[0];
        }
        long at = (op.flags() & FsOps.APPEND) != 0 ? i.data.length : op.offset();
        write(i, at, FsOps.data(op));
      }
      case TRUNCATE -> i.data = Arrays.copyOf(i.data, (int) op.offset());
      case FALLOCATE -> {
        long end = op.offset() + op.length();
        if (op.flags() == 0 && end > i.data.length) {
          i.data = Arrays.copyOf(i.data, (int) end);
        } else if (op.flags() != 0) {
          int to = (int) Math.min(end, i.data.length);
          if (op.offset() < to) {
            Arrays.fill(i.data, (int) op.offset(), to, (byte) 0);
          }
        }
      }
      case MKDIR -> names.put(a, new Inode('d', op.mode() & ~umask & 07777));
      case MKFIFO -> names.put(a, new Inode('o', op.mode() & ~umask & 07777));
      case SYMLINK -> {
        Inode l = new Inode('l', 0777);
        l.target = op.b();
        names.put(a, l);
      }
      case RMDIR, UNLINK -> names.remove(a);
      case RENAME -> renamed(a, op.b(), op.flags());
      case LINK -> names.put(op.b(), i);
      case CHMOD -> i.mode = op.mode() & 07777;
      case CHOWN -> {
        i.uid = op.uid() == -1 ? i.uid : op.uid();
        i.gid = op.gid() == -1 ? i.gid : op.gid();
      }
      case SETXATTR -> i.xattrs.put(op.b(), FsOps.xattrValue(op));
      case REMOVEXATTR -> i.xattrs.remove(op.b());
      case UNLINK_OPEN -> {
        names.remove(a);
        write(i, op.offset() % 70_000, FsOps.data(op));
      }
      case UTIMENS, FSYNC -> {}
    }
  }

  private static void write(Inode i, long at, byte[] data) {
    int end = (int) at + data.length;
    if (end > i.data.length) {
      i.data = Arrays.copyOf(i.data, end);
    }
    System.arraycopy(data, 0, i.data, (int) at, data.length);
  }

  private void renamed(String a, String b, int flags) {
    if (a.equals(b) || names.get(a) == names.get(b) && flags == 0) {
      return;
    }
    Map<String, Inode> from = subtree(a);
    Map<String, Inode> to = subtree(b);
    from.keySet().forEach(names::remove);
    to.keySet().forEach(names::remove);
    from.forEach((p, n) -> names.put(b + p.substring(a.length()), n));
    if (flags == Posix.RENAME_EXCHANGE) {
      to.forEach((p, n) -> names.put(a + p.substring(b.length()), n));
    }
  }

  private Map<String, Inode> subtree(String p) {
    Map<String, Inode> out = new TreeMap<>();
    names.forEach(
        (k, v) -> {
          if (k.equals(p) || k.startsWith(p + "/")) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** Lines as {@link Trees#describe} prints them without times, keyed {@code root/...}. */
  Map<String, String> describe(String root) {
    Map<Inode, Integer> links = new IdentityHashMap<>();
    names.values().forEach(n -> links.merge(n, 1, Integer::sum));
    Map<String, String> out = new TreeMap<>();
    names.forEach(
        (p, n) -> {
          StringBuilder line = new StringBuilder();
          line.append(n.type)
              .append(' ')
              .append(Integer.toOctalString(n.mode))
              .append(' ')
              .append(n.uid)
              .append(':')
              .append(n.gid);
          if (n.type == 'f') {
            line.append(" size=")
                .append(n.data.length)
                .append(" nlink=")
                .append(links.get(n))
                .append(" sha=")
                .append(sha(n.data));
          } else if (n.type == 'l') {
            line.append(" -> ").append(n.target);
          }
          n.xattrs.forEach(
              (k, v) -> line.append(' ').append(k).append('=').append(HexFormat.of().formatHex(v)));
          out.put(p.isEmpty() ? root : root + "/" + p, line.toString());
        });
    return out;
  }

  /** The entries of {@code described} at or beneath {@code root}. */
  static Map<String, String> beneath(Map<String, String> described, String root) {
    Map<String, String> out = new TreeMap<>();
    described.forEach(
        (k, v) -> {
          if (k.equals(root) || k.startsWith(root + "/")) {
            out.put(k, v);
          }
        });
    return out;
  }

  private static String sha(byte[] data) {
    return Trees.digest(data);
  }

  /** For failure messages: the model's names. */
  List<String> names() {
    return new ArrayList<>(names.keySet());
  }
}
