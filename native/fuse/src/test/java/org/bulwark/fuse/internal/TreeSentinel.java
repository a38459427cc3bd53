package org.bulwark.fuse.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bulwark.api.fs.ErrnoException;
import org.bulwark.api.fs.LocalTree;

/**
 * Files outside a tree that hostile calls aim at: recorded byte for byte with mode, owner, link
 * count, inode, times (access, modification, change) and xattrs, and compared after each hostile
 * case. Contents and listings are read before the metadata so that a first read's atime update
 * (relatime) is already in the record; a warm-up pass takes it before the baseline.
 */
final class TreeSentinel {
  final Path dir;
  private final Path watched;
  private final Path skip;
  private final String baseline;

  /** Fills {@code dir} and records everything under {@code watched} except {@code skip}. */
  TreeSentinel(Path watched, Path dir, Path skip) throws IOException {
    this.dir = dir;
    this.watched = watched;
    this.skip = skip;
    Files.createDirectories(dir.resolve("sub"));
    Files.createDirectories(dir.resolve("victim"));
    Files.writeString(dir.resolve("secret"), "top secret\n");
    Files.writeString(dir.resolve("sub/deep"), "deep data\n");
    Files.setPosixFilePermissions(
        dir.resolve("secret"), PosixFilePermissions.fromString("rw-r-----"));
    xattrs(dir.resolve("secret")).write("user.k", ByteBuffer.wrap("outside".getBytes(UTF_8)));
    snapshot(watched);
    this.baseline = snapshot(watched);
  }

  void assertUnchanged(String after) throws IOException {
    assertEquals("outside the tree changed after " + after, baseline, snapshot(watched));
  }

  private String snapshot(Path root) throws IOException {
    Map<String, String> all = new TreeMap<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a)
              throws IOException {
            if (d.startsWith(skip)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            all.put(root.relativize(d).toString(), describe(d));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
            if (!f.startsWith(skip)) {
              all.put(root.relativize(f).toString(), describe(f));
            }
            return FileVisitResult.CONTINUE;
          }
        });
    StringBuilder b = new StringBuilder();
    all.forEach((k, v) -> b.append(k).append(" ").append(v).append('\n'));
    return b.toString();
  }

  private static String describe(Path p) throws IOException {
    StringBuilder b = new StringBuilder();
    if (Files.isSymbolicLink(p)) {
      b.append("-> ").append(Files.readSymbolicLink(p));
    } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> l = Files.list(p)) {
        b.append("dir ").append(l.map(x -> x.getFileName().toString()).sorted().toList());
      }
    } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      b.append("file ").append(HexFormat.of().formatHex(Files.readAllBytes(p)));
    }
    if (!Files.isSymbolicLink(p)) {
      UserDefinedFileAttributeView x = xattrs(p);
      for (String name : x.list().stream().sorted().toList()) {
        ByteBuffer v = ByteBuffer.allocate(x.size(name));
        x.read(name, v);
        b.append(" xattr ").append(name).append('=').append(HexFormat.of().formatHex(v.array()));
      }
    }
    Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
    for (String k : List.of("mode", "uid", "gid", "size", "nlink", "ino", "dev", "rdev")) {
      b.append(' ').append(k).append('=').append(a.get(k));
    }
    for (String k : List.of("lastAccessTime", "lastModifiedTime", "ctime")) {
      b.append(' ').append(k).append('=').append(((FileTime) a.get(k)).toInstant());
    }
    return b.toString();
  }

  private static UserDefinedFileAttributeView xattrs(Path p) {
    return Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
  }

  // ---- helpers shared by the LocalTree tests ----

  /** A call on a tree that may fail. */
  interface Call {
    void run() throws IOException;
  }

  /** 0 when the call succeeded, else its errno. */
  static int errno(Call c) throws IOException {
    try {
      c.run();
      return 0;
    } catch (ErrnoException e) {
      return e.errno();
    }
  }

  /** Asserts the call fails with {@code expected}. */
  static void assertErrno(String what, int expected, Call c) throws IOException {
    assertEquals(what, expected, errno(c));
  }

  static String read(LocalTree tree, String path) throws IOException {
    try (LocalTree.OpenFile f = tree.open(path, TreeCalls.O_RDONLY, 0)) {
      ByteBuffer b = ByteBuffer.allocate((int) f.stat().size());
      f.read(0, b);
      return new String(b.array(), 0, b.position(), UTF_8);
    }
  }

  static void write(LocalTree tree, String path, String content, int mode) throws IOException {
    int flags = TreeCalls.O_CREAT | TreeCalls.O_WRONLY | TreeCalls.O_TRUNC;
    try (LocalTree.OpenFile f = tree.open(path, flags, mode)) {
      f.write(0, ByteBuffer.wrap(content.getBytes(UTF_8)));
    }
  }
}
