package org.bulwark.rfs.internal;

import java.io.IOException;
import java.util.Optional;
import org.bulwark.api.fs.ErrnoException;
import org.bulwark.api.fs.FileStat;
import org.bulwark.api.fs.FileType;
import org.bulwark.api.fs.LocalTree;

/**
 * Whether a reintegration's copy reads the file it was planned for, and sends it under that file's
 * name (docs/replication.md, "Change tracking"): the file opened must be the inode planned ({@code
 * fstat} of the descriptor, at the start), and the path must still name the file opened ({@code
 * lstat} of the path, at the end); both checked under the file's lock, which the caller holds. On a
 * mismatch the path, or a directory above it, was renamed meanwhile: the files on both sides are
 * recorded whole, durably ({@link Tracker#whole}), and the names are left to the next pass to
 * compare, which copies them whatever their size and time.
 */
final class CopyIdentity {
  private static final int ENOENT = 2;
  private static final int ENOTDIR = 20;

  private final PrimaryReplica replica;

  CopyIdentity(PrimaryReplica replica) {
    this.replica = replica;
  }

  /**
   * At the start of a copy: whether the descriptor's file is the one planned (always, when the plan
   * had no inode: {@link Plan.Copy#UNKNOWN}). If not, another file than planned: the path (or a
   * directory above it) was renamed meanwhile, and the zones planned are not this file's difference
   * from the secondary's.
   *
   * @param opened the descriptor's file, read under the file's lock
   */
  boolean asPlanned(Plan.Copy c, FileStat opened) throws IOException {
    if (c.ino() != Plan.Copy.UNKNOWN && opened.ino() != c.ino()) {
      renamedMeanwhile(c.dir(), opened, Optional.empty());
      return false;
    }
    return true;
  }

  /**
   * At the end of a copy, before its size and attributes are sent by name: whether the path still
   * names the descriptor's file. If not, it was renamed during the copy: the data went to the
   * secondary under a name that is no longer this file's, and the size and attributes by name would
   * be another file's.
   *
   * @param opened the descriptor's file, read under the file's lock
   */
  boolean stillNamed(Plan.Copy c, LocalTree tree, FileStat opened) throws IOException {
    Optional<FileStat> named = named(tree, c.path());
    if (named.isEmpty() || named.get().ino() != opened.ino()) {
      renamedMeanwhile(c.dir(), opened, named);
      return false;
    }
    return true;
  }

  /** What a path names now ({@code lstat}); empty if nothing, or a component is no directory. */
  private static Optional<FileStat> named(LocalTree tree, String path) throws IOException {
    try {
      return tree.stat(path);
    } catch (ErrnoException e) {
      if (e.errno() == ENOENT || e.errno() == ENOTDIR) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * A copy's path named another file than its descriptor's (under the file's lock): both recorded
   * whole, durably, and the names compared by the next pass.
   *
   * @param opened the descriptor's file
   * @param named what the path names now, if anything
   */
  private void renamedMeanwhile(int dir, FileStat opened, Optional<FileStat> named)
      throws IOException {
    if (opened.type() == FileType.REGULAR) {
      replica.tracker().whole(dir, opened.ino());
    }
    if (named.isPresent() && named.get().type() == FileType.REGULAR) {
      replica.tracker().whole(dir, named.get().ino());
    }
    replica.zones().namesChanged();
  }
}
