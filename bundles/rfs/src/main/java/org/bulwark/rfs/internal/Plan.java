package org.bulwark.rfs.internal;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bulwark.api.fs.FileType;

/**
 * One reintegration pass, decided from the two trees (spec C.4): what the secondary has that the
 * primary has not is removed; what it lacks is created; files whose data may differ are copied —
 * all of it (full policy, a new file, size or time differing without a known cause, a file beneath
 * a directory recorded whole) or only their dirty zones; attributes are set last, directories
 * bottom-up since creating entries changes their times. Pure: the trees and the dirty set in, the
 * steps out.
 */
final class Plan {

  /** One step of a pass. */
  sealed interface Step {}

  /** A change sent as is. */
  record Send(Change change) implements Step {}

  /**
   * Copy a regular file's data: every byte when {@code zones} is null, else those zones — of a zone
   * in {@code blocks}, only those blocks ({@link FineZones#BLOCK}); {@code fresh}: the secondary's
   * file was just created empty; {@code ino}: the inode of the entry it was planned from, -1 when
   * unknown (planned with no listing, under the namespace lock: no rename can come between). Its
   * attributes follow.
   */
  record Copy(
      int dir, String path, BitSet zones, boolean fresh, Map<Integer, BitSet> blocks, long ino)
      implements Step {
    Copy(int dir, String path, BitSet zones, boolean fresh) {
      this(dir, path, zones, fresh, Map.of(), UNKNOWN);
    }

    Copy(int dir, String path, BitSet zones, boolean fresh, long ino) {
      this(dir, path, zones, fresh, Map.of(), ino);
    }

    /** No inode planned: the copy takes whatever file the path names. */
    static final long UNKNOWN = -1;
  }

  /**
   * Set a file's or directory's owner, mode, extended attributes and times, as they are now — if it
   * is still of {@code type} (a name that changed type meanwhile waits for the next pass).
   */
  record Attrs(int dir, String path, FileType type) implements Step {
    Attrs(int dir, String path) {
      this(dir, path, null);
    }
  }

  /** No date: file contents are compared by size and time, and dirty zones. */
  static final long ANY_TIME = Long.MIN_VALUE;

  private Plan() {}

  static List<Step> of(
      List<Msg.Entry> primary, List<Msg.Entry> secondary, boolean full, Dirt.Snapshot dirt) {
    return of(primary, secondary, full, dirt, ANY_TIME);
  }

  /**
   * @param primary the primary's entries, parents before children
   * @param secondary the secondary's entries
   * @param full copy every file whole
   * @param dirt what changed since the previous pass (or since the secondary was last in sync)
   * @param since {@code secondforce -d} (spec C.12): files modified since then (nanoseconds) are
   *     copied whole, other contents are left as they are; {@link #ANY_TIME} otherwise
   */
  static List<Step> of(
      List<Msg.Entry> primary,
      List<Msg.Entry> secondary,
      boolean full,
      Dirt.Snapshot dirt,
      long since) {
    Map<String, Msg.Entry> theirs = new HashMap<>();
    for (Msg.Entry e : secondary) {
      theirs.put(Dirt.key(e.dir(), e.path()), e);
    }
    Map<String, Msg.Entry> ours = new HashMap<>();
    for (Msg.Entry e : primary) {
      ours.put(Dirt.key(e.dir(), e.path()), e);
    }
    Links links = new Links(primary, secondary);
    Set<String> inWholeTrees = inWholeTrees(primary, dirt);
    List<Step> removals = new ArrayList<>();
    Set<String> removed = new HashSet<>();
    // removals, topmost first: the secondary's listing is parents-first too
    for (Msg.Entry s : secondary) {
      String k = Dirt.key(s.dir(), s.path());
      if (underRemoved(s, removed)) {
        continue;
      }
      Msg.Entry p = ours.get(k);
      if (p == null || mustReplace(p, s, links)) {
        if (s.path().equals("/")) {
          continue; // the root stays; its content is handled entry by entry
        }
        removals.add(new Send(new Change.RemoveTree(s.dir(), s.path())));
        removed.add(k);
      }
    }
    List<Step> steps = new ArrayList<>(removals);
    List<Step> dirAttrs = new ArrayList<>();
    Map<String, String> firstLink = new HashMap<>();
    for (Msg.Entry p : primary) {
      String k = Dirt.key(p.dir(), p.path());
      Msg.Entry s = removed.contains(k) ? null : theirs.get(k);
      FileType type = FileType.values()[p.type()];
      switch (type) {
        case DIRECTORY -> {
          if (s == null && !p.path().equals("/")) {
            steps.add(new Send(new Change.Mkdir(p.dir(), p.path(), p.mode(), p.uid(), p.gid())));
          }
          dirAttrs.add(0, new Attrs(p.dir(), p.path(), FileType.values()[p.type()]));
        }
        case REGULAR -> file(p, s, full, dirt, since, firstLink, inWholeTrees, steps);
        case SYMLINK -> {
          if (s == null) {
            steps.add(
                new Send(new Change.Symlink(p.dir(), p.path(), p.target(), p.uid(), p.gid())));
            steps.add(new Attrs(p.dir(), p.path(), FileType.values()[p.type()]));
          } else if (attrsDiffer(p, s)
              || p.mtimeNanos() != s.mtimeNanos()
              || dirt.of(p.dir(), p.path()) != null) {
            steps.add(new Attrs(p.dir(), p.path(), FileType.values()[p.type()]));
          }
        }
        default -> {
          if (s == null) {
            int mode = FileType.values()[p.type()].bits() | p.mode();
            steps.add(new Send(new Change.Mknod(p.dir(), p.path(), mode, 0, p.uid(), p.gid())));
            steps.add(new Attrs(p.dir(), p.path(), FileType.values()[p.type()]));
          } else if (attrsDiffer(p, s)
              || p.mtimeNanos() != s.mtimeNanos()
              || dirt.of(p.dir(), p.path()) != null) {
            steps.add(new Attrs(p.dir(), p.path(), FileType.values()[p.type()]));
          }
        }
      }
    }
    steps.addAll(dirAttrs);
    return steps;
  }

  private static void file(
      Msg.Entry p,
      Msg.Entry s,
      boolean full,
      Dirt.Snapshot dirt,
      long since,
      Map<String, String> firstLink,
      Set<String> inWholeTrees,
      List<Step> steps) {
    if (p.nlink() > 1) {
      String linkKey = p.dir() + ":" + p.ino();
      String first = firstLink.putIfAbsent(linkKey, p.path());
      if (first != null) {
        if (s == null) {
          // another name of a file handled before in this pass: a hard link on the secondary too
          steps.add(new Send(new Change.Link(p.dir(), first, p.path())));
        }
        return; // else the names already match (see Links): the first name carries the data
      }
    }
    Dirt.Zones z = dirt.of(p.dir(), p.path());
    if (s != null && since != ANY_TIME) {
      if (p.mtimeNanos() >= since) {
        steps.add(new Copy(p.dir(), p.path(), null, false, p.ino()));
      } else if (attrsDiffer(p, s) || p.mtimeNanos() != s.mtimeNanos()) {
        steps.add(new Attrs(p.dir(), p.path(), FileType.values()[p.type()]));
      }
      return;
    }
    boolean zones = z != null && !z.zones().isEmpty();
    if (s == null) {
      steps.add(new Send(new Change.Create(p.dir(), p.path(), p.mode(), p.uid(), p.gid(), false)));
      steps.add(new Copy(p.dir(), p.path(), null, true, p.ino()));
    } else if (full
        || (z != null && z.all())
        || inWholeTrees.contains(p.dir() + ":" + p.ino())
        || (!zones && contentDiffers(p, s))) {
      // a size or time that differs with no zone to explain it: changed without a record (only
      // attributes recorded, or while the module was stopped): the whole file
      steps.add(new Copy(p.dir(), p.path(), null, false, p.ino()));
    } else if (zones) {
      steps.add(new Copy(p.dir(), p.path(), z.zones(), false, z.blocks(), p.ino()));
    } else if ((z != null && z.meta()) || attrsDiffer(p, s)) {
      steps.add(new Attrs(p.dir(), p.path(), FileType.values()[p.type()]));
    }
  }

  /**
   * The regular files, by {@code dir:ino}, beneath a directory recorded whole: renamed while the
   * secondary was not synchronous ({@link Tracker}), so that the secondary may hold, under the
   * names it gave them, other files of the same size and time (a directory removed there, then this
   * one renamed over its name; two directories exchanged). Every name of such a file counts, so
   * that a file with several names is copied whole whichever name carries its data.
   *
   * @param primary parents before children
   */
  static Set<String> inWholeTrees(List<Msg.Entry> primary, Dirt.Snapshot dirt) {
    Set<String> files = new HashSet<>();
    if (dirt.whole().isEmpty()) {
      return files;
    }
    Set<String> trees = new HashSet<>();
    for (Msg.Entry p : primary) {
      String path = p.path();
      int slash = path.lastIndexOf('/');
      boolean beneath =
          slash >= 0
              && !path.equals("/")
              && trees.contains(Dirt.key(p.dir(), slash == 0 ? "/" : path.substring(0, slash)));
      if (p.type() == FileType.DIRECTORY.ordinal()) {
        Dirt.Zones z = dirt.of(p.dir(), path);
        if (beneath || (z != null && z.all())) {
          trees.add(Dirt.key(p.dir(), path));
        }
      } else if (beneath && p.type() == FileType.REGULAR.ordinal()) {
        files.add(p.dir() + ":" + p.ino());
      }
    }
    return files;
  }

  /**
   * Whether the secondary's entry must go before the primary's is put there: another type, a link
   * with another target, or a file whose hard links on the secondary do not match the primary's (a
   * write would reach its other names).
   */
  private static boolean mustReplace(Msg.Entry p, Msg.Entry s, Links links) {
    if (p.type() != s.type()) {
      return true;
    }
    FileType type = FileType.values()[p.type()];
    if (type == FileType.SYMLINK) {
      return !p.target().equals(s.target());
    }
    if (type == FileType.REGULAR) {
      return !links.match(p, s);
    }
    return false;
  }

  /** The hard-link groups of both trees: names of one file, by directory and inode. */
  private static final class Links {
    private final Map<String, Set<String>> ours = groups(List.of());
    private final Map<String, Set<String>> theirs;

    Links(List<Msg.Entry> primary, List<Msg.Entry> secondary) {
      ours.putAll(groups(primary));
      theirs = groups(secondary);
    }

    private static Map<String, Set<String>> groups(List<Msg.Entry> entries) {
      Map<String, Set<String>> g = new HashMap<>();
      for (Msg.Entry e : entries) {
        if (e.type() == FileType.REGULAR.ordinal() && e.nlink() > 1) {
          g.computeIfAbsent(e.dir() + ":" + e.ino(), k -> new HashSet<>()).add(e.path());
        }
      }
      return g;
    }

    /** Whether the secondary's file has exactly the primary's names (one name: none other). */
    boolean match(Msg.Entry p, Msg.Entry s) {
      Set<String> mine = p.nlink() > 1 ? ours.get(p.dir() + ":" + p.ino()) : null;
      Set<String> its = s.nlink() > 1 ? theirs.get(s.dir() + ":" + s.ino()) : null;
      if (mine == null || its == null) {
        return mine == null && its == null && s.nlink() <= 1;
      }
      return mine.equals(its) && s.nlink() == p.nlink();
    }
  }

  private static boolean underRemoved(Msg.Entry s, Set<String> removed) {
    String path = s.path();
    int slash = path.lastIndexOf('/');
    while (slash > 0) {
      path = path.substring(0, slash);
      if (removed.contains(Dirt.key(s.dir(), path))) {
        return true;
      }
      slash = path.lastIndexOf('/');
    }
    return false;
  }

  private static boolean contentDiffers(Msg.Entry p, Msg.Entry s) {
    return p.size() != s.size() || p.mtimeNanos() != s.mtimeNanos();
  }

  private static boolean attrsDiffer(Msg.Entry p, Msg.Entry s) {
    return p.mode() != s.mode() || p.uid() != s.uid() || p.gid() != s.gid();
  }
}
