package org.bulwark.rfs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.bulwark.api.fs.DirEntry;
import org.bulwark.api.fs.FileStat;
import org.bulwark.api.fs.FileType;
import org.bulwark.api.fs.LocalTree;

/**
 * The checksums online verify compares, computed the same way on both nodes: CRC32C (hardware
 * assisted) of a zone's bytes with the file's size, of a file's attributes, or of a directory's
 * sorted names (what {@link Exclusions} leave out is not counted). Meant to catch divergence from
 * bugs, disks or hands, not adversaries.
 */
final class Checksums {
  private Checksums() {}

  /** A zone of a regular file; -1 when the file is not there (or not a regular file). */
  static long data(LocalTree tree, String path, long offset, long length, ByteBuffer buf)
      throws IOException {
    Optional<FileStat> s = tree.stat(path);
    if (s.isEmpty() || s.get().type() != FileType.REGULAR) {
      return -1;
    }
    CRC32C crc = new CRC32C();
    try (LocalTree.OpenFile f = tree.open(path, 0, 0)) {
      long at = offset;
      long end = offset + length;
      while (at < end) {
        buf.clear().limit((int) Math.min(buf.capacity(), end - at));
        int n = f.read(at, buf);
        if (n <= 0) {
          break;
        }
        buf.flip();
        crc.update(buf);
        at += n;
      }
      crc.update(longBytes(f.stat().size()));
    }
    return crc.getValue();
  }

  /** Type, permissions, owner, modification time (not of directories), size, link target. */
  static long attributes(LocalTree tree, String path) throws IOException {
    Optional<FileStat> s = tree.stat(path);
    if (s.isEmpty()) {
      return -1;
    }
    FileStat st = s.get();
    CRC32C crc = new CRC32C();
    crc.update(st.type().ordinal());
    crc.update(longBytes(st.type() == FileType.SYMLINK ? 0 : st.mode()));
    crc.update(longBytes(((long) st.uid() << 32) | (st.gid() & 0xffffffffL)));
    if (st.type() != FileType.DIRECTORY) {
      crc.update(longBytes(st.mtimeNanos()));
      crc.update(longBytes(st.size()));
    }
    if (st.type() == FileType.SYMLINK) {
      crc.update(tree.readLink(path).getBytes(StandardCharsets.UTF_8));
    }
    return crc.getValue();
  }

  /** The names in a directory, sorted, leaving out what is not replicated. */
  static long names(LocalTree tree, String dir, Exclusions exclusions) throws IOException {
    Optional<FileStat> s = tree.stat(dir);
    if (s.isEmpty() || s.get().type() != FileType.DIRECTORY) {
      return -1;
    }
    List<String> names = new ArrayList<>();
    for (DirEntry e : tree.list(dir)) {
      String child = Applier.join(dir, e.name());
      if (exclusions.none()) {
        names.add(e.name());
        continue;
      }
      Optional<FileStat> cs = tree.stat(child);
      if (cs.isPresent() && !exclusions.excludes(child, cs.get().type() == FileType.DIRECTORY)) {
        names.add(e.name());
      }
    }
    names.sort(null);
    CRC32C crc = new CRC32C();
    for (String n : names) {
      crc.update(n.getBytes(StandardCharsets.UTF_8));
      crc.update(0);
    }
    return crc.getValue();
  }

  private static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }
}
