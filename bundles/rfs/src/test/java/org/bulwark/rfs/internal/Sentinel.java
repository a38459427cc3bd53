package org.bulwark.rfs.internal;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything under a directory that must not change, recorded byte for byte with type, mode, owner,
 * size, link count, inode, modification and change times (a chmod, chown, link or rename shows in
 * the change time), and compared later. Symbolic links are recorded, never followed.
 */
final class Sentinel {
  private final Path root;
  private final String baseline;

  Sentinel(Path root) throws IOException {
    this.root = root;
    this.baseline = snapshot(root);
  }

  void assertUnchanged(String after) throws IOException {
    assertEquals(root + " changed after " + after, baseline, snapshot(root));
  }

  static String snapshot(Path root) throws IOException {
    Map<String, String> all = new TreeMap<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
              throws IOException {
            all.put(root.relativize(d).toString(), describe(d));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            all.put(root.relativize(f).toString(), describe(f));
            return FileVisitResult.CONTINUE;
          }
        });
    StringBuilder b = new StringBuilder();
    all.forEach((k, v) -> b.append('/').append(k).append(' ').append(v).append('\n'));
    return b.toString();
  }

  private static String describe(Path p) throws IOException {
    StringBuilder b = new StringBuilder();
    if (Files.isSymbolicLink(p)) {
      b.append("-> ").append(Files.readSymbolicLink(p));
    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      b.append("file ").append(HexFormat.of().formatHex(Files.readAllBytes(p)));
    } else {
      b.append("other");
    }
    Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
    for (String k : List.of("mode", "uid", "gid", "size", "nlink", "ino", "lastModifiedTime")) {
      b.append(' ').append(k).append('=').append(a.get(k));
    }
    return b.append(" ctime=").append(a.get("ctime")).toString();
  }
}
