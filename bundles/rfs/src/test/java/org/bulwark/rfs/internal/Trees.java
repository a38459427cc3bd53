package org.bulwark.rfs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A tree described line by line — type, path, mode, owner, size, modification time, content digest
 * or link target, user extended attributes, link count — to compare a primary's directory with its
 * secondary's. Access times are left out (reads change them).
 */
final class Trees {
  private Trees() {}

  static Map<String, String> describe(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    List<Path> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.forEach(all::add);
    }
    for (Path p : all) {
      String rel = "/" + root.relativize(p).toString();
      PosixFileAttributes a =
          Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      StringBuilder line = new StringBuilder();
      String type =
          a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : a.isRegularFile() ? "f" : "o";
      line.append(type)
          .append(' ')
          .append(Integer.toOctalString(mode(p)))
          .append(' ')
          .append(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS))
          .append(':')
          .append(Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS))
          .append(" mtime=")
          .append(Files.getAttribute(p, "unix:lastModifiedTime", LinkOption.NOFOLLOW_LINKS));
      if (a.isRegularFile()) {
        line.append(" size=")
            .append(a.size())
            .append(" nlink=")
            .append(Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS))
            .append(" sha=")
            .append(digest(p));
      } else if (a.isSymbolicLink()) {
        line.append(" -> ").append(Files.readSymbolicLink(p));
      }
      if (a.isRegularFile() || a.isDirectory()) {
        // not on fifos (opening one to read its attributes would block) nor symbolic links
        UserDefinedFileAttributeView x =
            Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
        List<String> names = new ArrayList<>(x.list());
        names.sort(null);
        for (String n : names) {
          ByteBuffer b = ByteBuffer.allocate(x.size(n));
          x.read(n, b);
          line.append(" user.").append(n).append('=').append(HexFormat.of().formatHex(b.array()));
        }
      }
      out.put(rel, line.toString());
    }
    return out;
  }

  /** The same description without modification times (for a model that does not know them). */
  static Map<String, String> withoutTimes(Map<String, String> described) {
    Map<String, String> out = new TreeMap<>();
    described.forEach((k, v) -> out.put(k, v.replaceFirst(" mtime=\\S+", "")));
    return out;
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  private static String digest(Path p) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      try (var in = Files.newInputStream(p)) {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
