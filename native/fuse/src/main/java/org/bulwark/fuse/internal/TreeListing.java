package org.bulwark.fuse.internal;

import static org.bulwark.fuse.internal.TreeCalls.AT_SYMLINK_NOFOLLOW;
import static org.bulwark.fuse.internal.TreeCalls.ENOENT;
import static org.bulwark.fuse.internal.TreeCalls.O_DIRECTORY;
import static org.bulwark.fuse.internal.TreeCalls.O_NOFOLLOW;
import static org.bulwark.fuse.internal.TreeCalls.O_RDONLY;

import com.sun.jna.Memory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.fs.DirEntry;
import org.bulwark.api.fs.ErrnoException;
import org.bulwark.api.fs.FileStat;
import org.bulwark.api.fs.FileType;

/**
 * Directory listings with {@code getdents64} ({@code struct linux_dirent64}, the same on every
 * architecture: inode at 0, record length at 16, type at 18, name at 19) and xattr name lists.
 */
final class TreeListing {
  private static final int BUFFER = 64 * 1024;
  private static final ThreadLocal<Memory> DIRENTS =
      ThreadLocal.withInitial(() -> new Memory(BUFFER));
  private static final int DT_UNKNOWN = 0;

  private TreeListing() {}

  /**
   * The entries of a directory opened beneath the root ({@code O_DIRECTORY} fails before opening
   * anything that is not one). A file system that reports no type ({@code DT_UNKNOWN}) costs an
   * {@code fstatat} per entry; an entry gone meanwhile is left out.
   */
  static List<DirEntry> list(int rootFd, TreePath p) throws ErrnoException {
    int fd = TreeCalls.openBeneath(rootFd, p.full(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0);
    if (fd < 0) {
      throw TreeRoot.fail(-fd, "list", p.text());
    }
    try {
      Memory ents = DIRENTS.get();
      List<DirEntry> out = new ArrayList<>();
      for (long n; (n = TreeCalls.getdents64(fd, ents, BUFFER)) != 0; ) {
        if (n < 0) {
          throw TreeRoot.fail(-TreeCalls.lastError(), "getdents64", p.text());
        }
        for (int pos = 0; pos < n; pos += ents.getShort(pos + 16) & 0xffff) {
          DirEntry e = entry(fd, ents, pos, p);
          if (e != null) {
            out.add(e);
          }
        }
      }
      return out;
    } finally {
      TreeCalls.close(fd);
    }
  }

  private static DirEntry entry(int dirFd, Memory ents, int pos, TreePath p) throws ErrnoException {
    // indexOf counts from its offset: the name's length
    byte[] raw = ents.getByteArray(pos + 19, (int) ents.indexOf(pos + 19, (byte) 0));
    if ((raw.length == 1 && raw[0] == '.') || (raw.length == 2 && raw[0] == '.' && raw[1] == '.')) {
      return null;
    }
    String name = new String(raw, StandardCharsets.UTF_8);
    long ino = ents.getLong(pos);
    int dtype = ents.getByte(pos + 18) & 0xff;
    if (dtype == DT_UNKNOWN) {
      byte[] c = new byte[raw.length + 1];
      System.arraycopy(raw, 0, c, 0, raw.length);
      FileStat st = TreeStat.stat(dirFd, c, AT_SYMLINK_NOFOLLOW);
      if (st == null) {
        int errno = -TreeCalls.lastError();
        if (errno == ENOENT) {
          return null;
        }
        throw TreeRoot.fail(errno, "stat", p.text() + "/" + name);
      }
      return new DirEntry(name, st.type(), ino);
    }
    FileType type = type(dtype);
    return type == null ? null : new DirEntry(name, type, ino);
  }

  /** DT_* is S_IFMT >> 12; a whiteout (DT_WHT) is no file. */
  private static FileType type(int dtype) {
    for (FileType t : FileType.values()) {
      if (t.bits() >>> 12 == dtype) {
        return t;
      }
    }
    return null;
  }

  /** The NUL-separated names {@code llistxattr} wrote. */
  static List<String> names(Memory buf, int length) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < length; i++) {
      if (buf.getByte(i) == 0) {
        if (i > start) {
          out.add(new String(buf.getByteArray(start, i - start), StandardCharsets.UTF_8));
        }
        start = i + 1;
      }
    }
    return out;
  }
}
