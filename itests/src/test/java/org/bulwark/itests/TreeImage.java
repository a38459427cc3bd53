package org.bulwark.itests;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * A replicated directory described one line per entry — type, mode, owner, modification time to the
 * nanosecond, then size, link count and content digest of a file, or a link's target — plus its
 * user extended attributes: what must be equal on the primary and its secondary (spec B.7, C.4).
 * Access times are left out: reading changes them. Symbolic links are described, never followed.
 */
record TreeImage(Map<String, String> entries) {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  static TreeImage of(Path root) throws IOException {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.forEach(all::add);
    }
    Map<String, String> out = new TreeMap<>();
    for (Path p : all) {
      out.put("/" + root.relativize(p), describe(p));
    }
    return new TreeImage(out);
  }

  private static String describe(Path p) throws IOException {
    PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, NOFOLLOW);
    String type = a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : a.isRegularFile() ? "f" : "o";
    StringBuilder line =
        new StringBuilder(type)
            .append(' ')
            .append(Integer.toOctalString((Integer) Files.getAttribute(p, "unix:mode", NOFOLLOW)))
            .append(' ')
            .append(Files.getAttribute(p, "unix:uid", NOFOLLOW))
            .append(':')
            .append(Files.getAttribute(p, "unix:gid", NOFOLLOW))
            .append(" mtime=")
            .append(a.lastModifiedTime().toInstant());
    if (a.isRegularFile()) {
      line.append(" size=")
          .append(a.size())
          .append(" nlink=")
          .append(Files.getAttribute(p, "unix:nlink", NOFOLLOW))
          .append(" sha256=")
          .append(digest(p));
    } else if (a.isSymbolicLink()) {
      line.append(" -> ").append(Files.readSymbolicLink(p));
    }
    if (!a.isSymbolicLink()) {
      UserDefinedFileAttributeView x =
          Files.getFileAttributeView(p, UserDefinedFileAttributeView.class, NOFOLLOW);
      for (String name : new TreeSet<>(x.list())) {
        ByteBuffer value = ByteBuffer.allocate(x.size(name));
        x.read(name, value);
        line.append(" user.").append(name).append('=').append(hex(value.array()));
      }
    }
    return line.toString();
  }

  /**
   * What differs, one line per entry: {@code - path: line} only here, {@code + path: line} only in
   * {@code other}, both lines when the entry differs; empty when the trees are equal.
   */
  String diff(TreeImage other) {
    Set<String> paths = new TreeSet<>(entries.keySet());
    paths.addAll(other.entries.keySet());
    StringBuilder b = new StringBuilder();
    for (String path : paths) {
      String mine = entries.get(path);
      String theirs = other.entries.get(path);
      if (mine != null && mine.equals(theirs)) {
        continue;
      }
      if (mine != null) {
        b.append("- ").append(path).append(": ").append(mine).append('\n');
      }
      if (theirs != null) {
        b.append("+ ").append(path).append(": ").append(theirs).append('\n');
      }
    }
    return b.toString();
  }

  private static String digest(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        md.update(buffer, 0, n);
      }
      return hex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
