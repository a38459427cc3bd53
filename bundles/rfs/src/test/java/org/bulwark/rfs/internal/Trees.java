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

  /** What differs between two descriptions, one line per path (at most {@code max}); "" if none. */
  static String diff(Map<String, String> expected, Map<String, String> actual, int max) {
    java.util.TreeSet<String> paths = new java.util.TreeSet<>(expected.keySet());
    paths.addAll(actual.keySet());
    StringBuilder b = new StringBuilder();
    int n = 0;
    for (String p : paths) {
      String e = expected.get(p);
      String a = actual.get(p);
      if (java.util.Objects.equals(e, a)) {
        continue;
      }
      if (n++ < max) {
        b.append("\n  ")
            .append(p)
            .append(":\n    expected ")
            .append(e)
            .append("\n    actual   ")
            .append(a);
      }
    }
    return n == 0 ? "" : n + " paths differ:" + b;
  }

  private static int mode(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
  }

  private static final int BLOCK = 4096;

  /**
   * A digest of a file's content that reads only its data (SEEK_DATA/SEEK_HOLE), so that a sparse
   * file of gigabytes costs what its data costs: every 4 KiB block that is not all zeros, with its
   * offset. Equal contents of equal sizes give equal digests whatever their holes.
   */
  private static String digest(Path p) throws IOException {
    MessageDigest md = sha256();
    int fd = Posix.C.open(p.toString(), Posix.O_RDONLY | Posix.O_NOFOLLOW | Posix.O_CLOEXEC, 0);
    if (fd < 0) {
      throw new IOException("open " + p + ": errno " + Posix.errno());
    }
    try {
      long size = Posix.fstat(fd).size();
      byte[] buf = new byte[16 * BLOCK];
      long next = 0;
      while (next < size) {
        long data = Posix.C.lseek(fd, next, Posix.SEEK_DATA);
        if (data < 0) {
          break; // ENXIO: only a hole is left
        }
        long hole = Math.min(size, Posix.C.lseek(fd, data, Posix.SEEK_HOLE));
        long from = Math.max(next, data / BLOCK * BLOCK);
        long to = Math.min(size, (hole + BLOCK - 1) / BLOCK * BLOCK);
        for (long at = from; at < to; at += buf.length) {
          int n = (int) Posix.C.pread(fd, buf, (int) Math.min(buf.length, to - at), at);
          if (n < 0) {
            throw new IOException("pread " + p + ": errno " + Posix.errno());
          }
          blocks(md, at, buf, n);
        }
        next = Math.max(to, next + 1);
      }
    } finally {
      Posix.C.close(fd);
    }
    return HexFormat.of().formatHex(md.digest()).substring(0, 16);
  }

  /** The same digest of content held in memory (a model's). */
  static String digest(byte[] content) {
    MessageDigest md = sha256();
    blocks(md, 0, content, content.length);
    return HexFormat.of().formatHex(md.digest()).substring(0, 16);
  }

  /** Feeds the blocks of {@code buf} (at file offset {@code at}, block-aligned) that hold data. */
  private static void blocks(MessageDigest md, long at, byte[] buf, int length) {
    for (int i = 0; i < length; i += BLOCK) {
      int n = Math.min(BLOCK, length - i);
      boolean zero = true;
      for (int j = i; j < i + n && zero; j++) {
        zero = buf[j] == 0;
      }
      if (!zero) {
        md.update(java.nio.ByteBuffer.allocate(8).putLong(at + i).array());
        md.update(buf, i, n);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
