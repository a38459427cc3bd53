package org.bulwark.rfs.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.bulwark.api.config.Rfs;
import org.bulwark.api.fs.FileOperation;

/**
 * What a {@code <replicated>} directory leaves out (spec B.7): {@code <notreplicated path>} names a
 * file or a whole subtree; {@code <notreplicated regexpath>} is a regular expression searched in
 * the relative path of files (not directories, which are always walked), case-sensitive, and a
 * leading {@code !} keeps only the files that match. Excluded files are neither replicated nor
 * compared nor deleted on the secondary. A rename across the boundary is replicated as the deletion
 * or the full copy it amounts to.
 */
final class Exclusions {
  private final List<String> paths = new ArrayList<>();
  private final List<Pattern> excluded = new ArrayList<>();
  private final List<Pattern> only = new ArrayList<>();

  Exclusions(List<Rfs.NotReplicated> rules) {
    for (Rfs.NotReplicated r : rules) {
      if (!r.regex()) {
        paths.add("/" + strip(r.value()));
        continue;
      }
      boolean invert = r.value().startsWith("!");
      String regex = invert ? r.value().substring(1) : r.value();
      try {
        (invert ? only : excluded).add(Pattern.compile(regex));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("notreplicated regexpath " + r.value() + ": " + e);
      }
    }
  }

  private static String strip(String path) {
    String p = path;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  boolean none() {
    return paths.isEmpty() && excluded.isEmpty() && only.isEmpty();
  }

  /** Whether what {@code op} changes is left out (a directory made or removed names one). */
  boolean excludes(FileOperation op) {
    if (none()) {
      return false;
    }
    boolean isDir = op instanceof FileOperation.Mkdir || op instanceof FileOperation.Rmdir;
    return excludes(op.path(), isDir);
  }

  /**
   * Whether {@code path} ({@code /}-rooted) is left out; {@code directory} says whether it names a
   * directory (regular expressions apply to files only).
   */
  boolean excludes(String path, boolean directory) {
    if (path == null) {
      return true;
    }
    for (String p : paths) {
      if (path.equals(p) || path.startsWith(p + "/")) {
        return true;
      }
    }
    if (directory) {
      return false;
    }
    String rel = path.startsWith("/") ? path.substring(1) : path;
    for (Pattern x : excluded) {
      if (x.matcher(rel).find()) {
        return true;
      }
    }
    if (!only.isEmpty()) {
      for (Pattern keep : only) {
        if (keep.matcher(rel).find()) {
          return false;
        }
      }
      return true;
    }
    return false;
  }
}
