package org.bulwark.rfs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bulwark.api.fs.DirEntry;
import org.bulwark.api.fs.ErrnoException;
import org.bulwark.api.fs.FileStat;
import org.bulwark.api.fs.FileType;
import org.bulwark.api.fs.LocalTree;

/**
 * Applies {@link Change}s to the secondary's copies, each through the {@link LocalTree} of its
 * replicated directory, so that no path can reach outside it (DESIGN: the secondary never leaves
 * its root). One thread applies, in the order the primary numbered the changes. Files being written
 * stay open between writes (a few, least recently used closed first); any change to the namespace
 * closes them all, so that a handle never writes to a name that moved.
 */
final class Applier implements AutoCloseable {
  static final int O_WRONLY = 01;
  static final int O_CREAT = 0100;
  static final int O_EXCL = 0200;
  static final int O_TRUNC = 01000;
  private static final int EEXIST = 17;
  private static final int ENOENT = 2;
  private static final int OPEN_FILES = 64;
  private static final long OMIT = org.bulwark.api.fs.FileOperation.SetTimes.OMIT;

  /** A file open for writing, and its copy's writeback if a reintegration copies it. */
  private record Held(LocalTree.OpenFile file, CopyWriteback writeback) {
    Held(LocalTree.OpenFile file) {
      this(file, new CopyWriteback());
    }
  }

  private final List<LocalTree> trees;
  private final Map<String, Held> open =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
          if (size() > OPEN_FILES) {
            closeQuietly(eldest.getValue().file());
            return true;
          }
          return false;
        }
      };

  Applier(List<LocalTree> trees) {
    this.trees = trees;
  }

  /**
   * Applies one change; the errno of the system call that failed is in the exception. The change's
   * data stays the caller's to release. {@code copy}: the change is part of a reintegration's copy,
   * whose data is written back as it comes ({@link CopyWriteback}); a live change is applied as the
   * primary made it, its durability left to its own fsync.
   */
  void apply(Change c, boolean copy) throws IOException {
    LocalTree t = tree(c.dir());
    String p = c.path();
    if (c instanceof Change.Write w) {
      Held h = file(c.dir(), p);
      LocalTree.OpenFile f = h.file();
      // straight from the received buffers (direct: no copy before the kernel's); a frame read in
      // several pieces is several of them
      long at = w.offset();
      for (ByteBuffer piece : w.data().nioBuffers()) {
        int n = piece.remaining();
        f.write(at, piece);
        at += n;
      }
      mtime(f, w.mtimeNanos());
      if (copy) {
        h.writeback().written(f, w.offset(), at - w.offset());
      }
    } else if (c instanceof Change.Truncate tr) {
      Held h = file(c.dir(), p);
      LocalTree.OpenFile f = h.file();
      f.truncate(tr.size());
      mtime(f, tr.mtimeNanos());
      if (copy) {
        h.writeback().ended(f); // a copy ends with its file's size
      }
    } else if (c instanceof Change.Fallocate fa) {
      LocalTree.OpenFile f = file(c.dir(), p).file();
      f.fallocate(fa.mode(), fa.offset(), fa.length());
      mtime(f, fa.mtimeNanos());
    } else if (c instanceof Change.Create cr) {
      create(t, c.dir(), cr);
    } else if (c instanceof Change.Sync s) {
      Held h = open.get(key(c.dir(), p));
      if (h != null) {
        h.file().sync(s.dataOnly());
      } else {
        t.sync(p, s.dataOnly());
      }
    } else if (c instanceof Change.Flush) {
      for (LocalTree each : trees) {
        each.syncAll();
      }
    } else {
      namespace(t, c);
    }
  }

  /** The primary's modification time, so that both copies compare equal (spec C.4). */
  private static void mtime(LocalTree.OpenFile f, long mtimeNanos) throws IOException {
    if (mtimeNanos != Change.KEEP_TIME) {
      f.setTimes(OMIT, mtimeNanos);
    }
  }

  /**
   * Online verify: {@link Change#SAME} when this copy's checksum is the primary's, else {@link
   * Change#DIFFERS}. Files written through open handles are read back through the tree: the data is
   * in the page cache either way.
   */
  int verify(Change.Verify v, Exclusions exclusions) {
    try {
      LocalTree t = tree(v.dir());
      long mine =
          switch (v.kind()) {
            case Change.Verify.DATA ->
                Checksums.data(t, v.path(), v.offset(), v.length(), verifyBuffer());
            case Change.Verify.ATTRIBUTES -> Checksums.attributes(t, v.path());
            default -> Checksums.names(t, v.path(), exclusions);
          };
      return mine == v.checksum() ? Change.SAME : Change.DIFFERS;
    } catch (IOException e) {
      return Change.DIFFERS;
    }
  }

  private ByteBuffer buffer;

  private ByteBuffer verifyBuffer() {
    if (buffer == null) {
      buffer = ByteBuffer.allocate(1 << 20);
    }
    return buffer;
  }

  /** Changes to names and attributes: open handles are closed first. */
  private void namespace(LocalTree t, Change c) throws IOException {
    String p = c.path();
    if (c instanceof Change.Chmod m) {
      t.chmod(p, m.mode());
      return;
    }
    if (c instanceof Change.Chown o) {
      t.chown(p, o.uid(), o.gid());
      return;
    }
    if (c instanceof Change.Times tm) {
      t.setTimes(p, tm.atimeNanos(), tm.mtimeNanos());
      return;
    }
    if (c instanceof Change.SetXattr x) {
      t.setXattr(p, x.name(), x.value(), x.flags());
      return;
    }
    if (c instanceof Change.RemoveXattr x) {
      t.removeXattr(p, x.name());
      return;
    }
    if (c instanceof Change.KeepXattrs k) {
      for (String name : t.xattrNames(p)) {
        if (Xattrs.replicated(name, k.acl()) && !k.names().contains(name)) {
          t.removeXattr(p, name);
        }
      }
      return;
    }
    closeAll();
    if (c instanceof Change.Mkdir m) {
      try {
        t.mkdir(p, m.mode());
      } catch (ErrnoException e) {
        Optional<FileStat> there = t.stat(p);
        if (e.errno() != EEXIST || there.isEmpty() || there.get().type() != FileType.DIRECTORY) {
          throw e;
        }
      }
      t.chown(p, m.uid(), m.gid());
      t.chmod(p, m.mode());
    } else if (c instanceof Change.Mknod m) {
      t.mknod(p, m.mode(), m.rdev());
      t.chown(p, m.uid(), m.gid());
      t.chmod(p, m.mode() & 07777);
    } else if (c instanceof Change.Symlink s) {
      t.symlink(p, s.target());
      t.chown(p, s.uid(), s.gid());
    } else if (c instanceof Change.Unlink) {
      t.unlink(p);
    } else if (c instanceof Change.Rmdir) {
      t.rmdir(p);
    } else if (c instanceof Change.RemoveTree) {
      removeTree(t, p);
    } else if (c instanceof Change.Rename r) {
      t.rename(p, r.target(), r.flags());
    } else if (c instanceof Change.Link l) {
      t.link(p, l.target());
    } else {
      throw new IllegalArgumentException("not a change this applier knows: " + c);
    }
  }

  private void create(LocalTree t, int dir, Change.Create cr) throws IOException {
    String p = cr.path();
    LocalTree.OpenFile f;
    try {
      f = t.open(p, O_WRONLY | O_CREAT | O_EXCL, cr.mode() & 07777);
      t.chown(p, cr.uid(), cr.gid());
      t.chmod(p, cr.mode() & 07777); // chown clears set-user-ID and set-group-ID bits
    } catch (ErrnoException e) {
      if (e.errno() != EEXIST) {
        throw e;
      }
      f = t.open(p, O_WRONLY | (cr.truncate() ? O_TRUNC : 0), 0);
    }
    Held previous = open.put(key(dir, p), new Held(f));
    if (previous != null && previous.file() != f) {
      closeQuietly(previous.file());
    }
  }

  /** Deletes a file, link or whole directory tree beneath the root; nothing there is fine. */
  static void removeTree(LocalTree t, String path) throws IOException {
    Optional<FileStat> s = t.stat(path);
    if (s.isEmpty()) {
      return;
    }
    if (s.get().type() != FileType.DIRECTORY) {
      t.unlink(path);
      return;
    }
    for (DirEntry e : t.list(path)) {
      removeTree(t, join(path, e.name()));
    }
    try {
      t.rmdir(path);
    } catch (ErrnoException e) {
      if (e.errno() != ENOENT) {
        throw e;
      }
    }
  }

  /** A child's path: paths are {@code /}-rooted as the FUSE driver gives them. */
  static String join(String dir, String name) {
    return dir.isEmpty() || dir.equals("/") ? "/" + name : dir + "/" + name;
  }

  private Held file(int dir, String path) throws IOException {
    String k = key(dir, path);
    Held h = open.get(k);
    if (h == null) {
      h = new Held(tree(dir).open(path, O_WRONLY, 0));
      open.put(k, h);
    }
    return h;
  }

  private LocalTree tree(int dir) throws IOException {
    if (dir < 0 || dir >= trees.size()) {
      throw new ErrnoException(22, "no replicated directory number " + dir);
    }
    return trees.get(dir);
  }

  private static String key(int dir, String path) {
    return dir + ":" + path;
  }

  /** Closes every open file: before a change to names, and at the end. */
  void closeAll() {
    open.values().forEach(h -> closeQuietly(h.file()));
    open.clear();
  }

  private static void closeQuietly(LocalTree.OpenFile f) {
    try {
      f.close();
    } catch (IOException e) {
      // a close error of a file only written: the next fsync or flush reports disk trouble
    }
  }

  @Override
  public void close() {
    closeAll();
  }
}
