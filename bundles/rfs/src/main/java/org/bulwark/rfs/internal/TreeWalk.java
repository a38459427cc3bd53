package org.bulwark.rfs.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.bulwark.api.fs.DirEntry;
import org.bulwark.api.fs.ErrnoException;
import org.bulwark.api.fs.FileStat;
import org.bulwark.api.fs.FileType;
import org.bulwark.api.fs.LocalTree;

/**
 * Lists a replicated directory as {@link Msg.Entry}s, parents before children, leaving out what
 * {@link Exclusions} exclude. Entries that vanish while the walk runs (the application is writing)
 * are skipped: the walk is a snapshot only in the sense reintegration needs, the changes made
 * meanwhile being tracked separately.
 */
final class TreeWalk {
  private static final int ENOENT = 2;
  private static final int ENOTDIR = 20;

  private TreeWalk() {}

  static List<Msg.Entry> walk(LocalTree tree, int dir, Exclusions exclusions) throws IOException {
    List<Msg.Entry> out = new ArrayList<>();
    walk(tree, dir, exclusions, out::add);
    return out;
  }

  static void walk(LocalTree tree, int dir, Exclusions exclusions, Consumer<Msg.Entry> sink)
      throws IOException {
    Optional<FileStat> root = tree.stat("/");
    if (root.isEmpty()) {
      throw new IOException(tree.directory() + " is gone");
    }
    sink.accept(entry(tree, dir, "/", root.get()));
    walkChildren(tree, dir, "/", exclusions, sink);
  }

  /** The entry at {@code path} and everything beneath it, parents first (empty if gone). */
  static List<Msg.Entry> walkFrom(LocalTree tree, int dir, String path, Exclusions exclusions)
      throws IOException {
    List<Msg.Entry> out = new ArrayList<>();
    Optional<FileStat> top = tree.stat(path);
    if (top.isEmpty()) {
      return out;
    }
    out.add(entry(tree, dir, path, top.get()));
    if (top.get().type() == FileType.DIRECTORY) {
      walkChildren(tree, dir, path, exclusions, out::add);
    }
    return out;
  }

  private static void walkChildren(
      LocalTree tree, int dir, String path, Exclusions exclusions, Consumer<Msg.Entry> sink)
      throws IOException {
    List<DirEntry> children;
    try {
      children = tree.list(path);
    } catch (ErrnoException e) {
      if (e.errno() == ENOENT || e.errno() == ENOTDIR) {
        return;
      }
      throw e;
    }
    children.sort((a, b) -> a.name().compareTo(b.name()));
    for (DirEntry child : children) {
      String p = Applier.join(path, child.name());
      Optional<FileStat> s = tree.stat(p);
      if (s.isEmpty()) {
        continue;
      }
      boolean isDir = s.get().type() == FileType.DIRECTORY;
      if (exclusions.excludes(p, isDir)) {
        continue;
      }
      Msg.Entry e = entry(tree, dir, p, s.get());
      sink.accept(e);
      if (isDir) {
        walkChildren(tree, dir, p, exclusions, sink);
      }
    }
  }

  static Msg.Entry entry(LocalTree tree, int dir, String path, FileStat s) throws IOException {
    String target = "";
    if (s.type() == FileType.SYMLINK) {
      try {
        target = tree.readLink(path);
      } catch (ErrnoException e) {
        target = "";
      }
    }
    return new Msg.Entry(
        dir,
        path,
        s.type().ordinal(),
        s.mode(),
        s.uid(),
        s.gid(),
        s.type() == FileType.DIRECTORY ? 0 : s.size(),
        s.mtimeNanos(),
        s.ino(),
        s.nlink(),
        target);
  }
}
