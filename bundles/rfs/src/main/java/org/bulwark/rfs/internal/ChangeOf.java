package org.bulwark.rfs.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.fs.ErrnoException;
import org.bulwark.api.fs.FileOperation;
import org.bulwark.api.fs.FileStat;
import org.bulwark.api.fs.LocalTree;

/**
 * The change to send for an operation the application made on the primary (spec B.7), with what the
 * primary's file system decided filled in from the file itself: the owner and mode a new file got,
 * the exact times {@code utimensat(UTIME_NOW)} and changes of names set. Called under the
 * operation's locks.
 */
final class ChangeOf {
  private static final int O_TRUNC = 01000;
  private static final long OMIT = FileOperation.SetTimes.OMIT;

  private ChangeOf() {}

  /** Whether the operation changes names (and so holds the namespace lock exclusively). */
  static boolean namespace(FileOperation op) {
    return op instanceof FileOperation.Create
        || op instanceof FileOperation.Mknod
        || op instanceof FileOperation.Mkdir
        || op instanceof FileOperation.Symlink
        || op instanceof FileOperation.Unlink
        || op instanceof FileOperation.Rmdir
        || op instanceof FileOperation.Rename
        || op instanceof FileOperation.Link;
  }

  /**
   * The changes for one operation (none when nothing is replicated, e.g. a local-only attribute):
   * the operation itself, then, for changes to names, the modification times the file system gave
   * to the directories involved and to a new node, so that both copies compare equal.
   */
  static List<Change> of(int dir, FileOperation op, LocalTree tree, boolean acl)
      throws IOException {
    String p = op.path();
    // data changes keep the time each node's own call gives: the primary's is carried at the next
    // barrier (PendingTimes#carryAll), not set on both copies after every write
    if (op instanceof FileOperation.Write w) {
      return List.of(write(dir, w, Change.KEEP_TIME));
    }
    if (op instanceof FileOperation.Truncate t) {
      return List.of(new Change.Truncate(dir, p, t.size(), Change.KEEP_TIME));
    }
    if (op instanceof FileOperation.Fallocate f) {
      return List.of(
          new Change.Fallocate(dir, p, f.mode(), f.offset(), f.length(), Change.KEEP_TIME));
    }
    if (op instanceof FileOperation.Create c) {
      FileStat s = stat(tree, p);
      Change create =
          new Change.Create(dir, p, s.mode(), s.uid(), s.gid(), (c.flags() & O_TRUNC) != 0);
      return withTimes(dir, tree, create, p, parent(p));
    }
    if (op instanceof FileOperation.Mknod) {
      FileStat s = stat(tree, p);
      return withTimes(
          dir,
          tree,
          new Change.Mknod(dir, p, s.fullMode(), s.rdev(), s.uid(), s.gid()),
          p,
          parent(p));
    }
    if (op instanceof FileOperation.Mkdir) {
      FileStat s = stat(tree, p);
      return withTimes(
          dir, tree, new Change.Mkdir(dir, p, s.mode(), s.uid(), s.gid()), p, parent(p));
    }
    if (op instanceof FileOperation.Symlink l) {
      FileStat s = stat(tree, p);
      return withTimes(
          dir, tree, new Change.Symlink(dir, p, l.content(), s.uid(), s.gid()), p, parent(p));
    }
    if (op instanceof FileOperation.Unlink) {
      return withTimes(dir, tree, new Change.Unlink(dir, p), parent(p));
    }
    if (op instanceof FileOperation.Rmdir) {
      return withTimes(dir, tree, new Change.Rmdir(dir, p), parent(p));
    }
    if (op instanceof FileOperation.Rename r) {
      Change rename = new Change.Rename(dir, p, r.target(), r.flags());
      return withTimes(dir, tree, rename, parent(p), parent(r.target()), r.target());
    }
    if (op instanceof FileOperation.Link l) {
      return withTimes(dir, tree, new Change.Link(dir, p, l.target()), parent(l.target()));
    }
    if (op instanceof FileOperation.Chmod m) {
      return List.of(new Change.Chmod(dir, p, m.mode() & 07777));
    }
    if (op instanceof FileOperation.Chown o) {
      return List.of(new Change.Chown(dir, p, o.uid(), o.gid()));
    }
    if (op instanceof FileOperation.SetTimes) {
      FileStat s = stat(tree, p);
      return List.of(new Change.Times(dir, p, s.atimeNanos(), s.mtimeNanos()));
    }
    if (op instanceof FileOperation.SetXattr x) {
      return Xattrs.replicated(x.name(), acl)
          ? List.of(new Change.SetXattr(dir, p, x.name(), x.value(), x.flags()))
          : modeOf(dir, tree, p, x.name());
    }
    if (op instanceof FileOperation.RemoveXattr x) {
      return Xattrs.replicated(x.name(), acl)
          ? List.of(new Change.RemoveXattr(dir, p, x.name()))
          : modeOf(dir, tree, p, x.name());
    }
    if (op instanceof FileOperation.Sync s) {
      return List.of(new Change.Sync(dir, p == null ? "/" : p, s.dataOnly()));
    }
    throw new IllegalArgumentException("unknown operation " + op);
  }

  /**
   * For an attribute that does not travel: nothing, but for an access ACL, which sets the group
   * bits of the file's mode (its mask) as a chmod would; that mode travels (acl="off": the copies
   * keep the same modes, without the ACL).
   */
  private static List<Change> modeOf(int dir, LocalTree tree, String p, String name)
      throws IOException {
    if (!name.equals(Xattrs.ACCESS_ACL)) {
      return List.of();
    }
    return List.of(new Change.Chmod(dir, p, stat(tree, p).mode() & 07777));
  }

  /**
   * A write's change: one copy, from the request's buffer (reused once the call returns) into a
   * pooled direct buffer that goes to the socket as it is.
   */
  static Change.Write write(int dir, FileOperation.Write w, long mtimeNanos) {
    ByteBuf data = PooledByteBufAllocator.DEFAULT.directBuffer(w.length());
    data.writeBytes(w.data().duplicate());
    return new Change.Write(dir, w.path(), w.offset(), data, mtimeNanos);
  }

  /** The change, then the modification time of each path (distinct, still there) after it. */
  private static List<Change> withTimes(int dir, LocalTree tree, Change change, String... paths)
      throws IOException {
    List<Change> out = new ArrayList<>();
    out.add(change);
    List<String> done = new ArrayList<>();
    for (String path : paths) {
      if (done.contains(path)) {
        continue;
      }
      done.add(path);
      Optional<FileStat> s = tree.stat(path);
      if (s.isPresent()) {
        out.add(new Change.Times(dir, path, OMIT, s.get().mtimeNanos()));
      }
    }
    return out;
  }

  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  private static FileStat stat(LocalTree tree, String path) throws IOException {
    return tree.stat(path)
        .orElseThrow(() -> new ErrnoException(2, "the new file " + path + " is not there"));
  }
}
