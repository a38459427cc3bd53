package org.bulwark.deployer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the central directory of a zip file: entry names, sizes and the Unix mode that {@code
 * java.util.zip} does not expose (it is how a zip carries a symbolic link). The deployer decides
 * from this listing whether an archive is safe before extracting a single byte.
 */
final class ZipDirectory {

  private static final int END_SIGNATURE = 0x06054b50;
  private static final int CENTRAL_SIGNATURE = 0x02014b50;
  private static final int END_SIZE = 22;
  private static final int MAX_COMMENT = 0xffff;
  private static final int HOST_UNIX = 3;

  /**
   * What one central directory record may take on average: the 46-byte fixed part, the name, extra
   * fields and comment. Module entries take about a hundred bytes; 1 KiB leaves room for deep paths
   * while the directory of the largest package allowed (10,000 entries) stays under 10 MiB. The
   * directory is read into memory whole, so its declared size is checked against this before.
   */
  static final int MAX_RECORD_AVERAGE = 1024;

  /**
   * One central directory entry.
   *
   * @param name the raw entry name
   * @param size the declared uncompressed size
   * @param unixMode the Unix mode ({@code st_mode}) when the archive was made on Unix, else 0
   */
  record Entry(String name, long size, int unixMode) {
    static final int TYPE_MASK = 0170000;
    static final int REGULAR = 0100000;
    static final int DIRECTORY = 0040000;
    static final int SYMLINK = 0120000;

    boolean isDirectory() {
      return name.endsWith("/") || (unixMode & TYPE_MASK) == DIRECTORY;
    }

    boolean isSymlink() {
      return (unixMode & TYPE_MASK) == SYMLINK;
    }

    /** A device, fifo or socket: nothing a module may carry. */
    boolean isSpecial() {
      int type = unixMode & TYPE_MASK;
      return unixMode != 0 && type != 0 && type != REGULAR && type != DIRECTORY && type != SYMLINK;
    }

    boolean isExecutable() {
      return (unixMode & 0100) != 0;
    }
  }

  private ZipDirectory() {}

  /**
   * Lists the entries of {@code file}, refusing more than {@code maxEntries} entries or a central
   * directory larger than {@code maxEntries} records of {@link #MAX_RECORD_AVERAGE} bytes.
   *
   * @throws IOException with a message for the administrator when the file is not a zip
   */
  static List<Entry> read(Path file, int maxEntries) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long length = channel.size();
      if (length < END_SIZE) {
        throw new IOException("not a zip archive (" + length + " bytes)");
      }
      int tail = (int) Math.min(length, END_SIZE + MAX_COMMENT);
      ByteBuffer end = read(channel, length - tail, tail);
      int at = -1;
      for (int i = tail - END_SIZE; i >= 0; i--) {
        if (end.getInt(i) == END_SIGNATURE) {
          at = i;
          break;
        }
      }
      if (at < 0) {
        throw new IOException("not a zip archive (no end of central directory)");
      }
      int count = Short.toUnsignedInt(end.getShort(at + 10));
      long size = Integer.toUnsignedLong(end.getInt(at + 12));
      long offset = Integer.toUnsignedLong(end.getInt(at + 16));
      if (count == 0xffff || size == 0xffffffffL || offset == 0xffffffffL) {
        throw new IOException("ZIP64 archives are not supported for modules");
      }
      if (count > maxEntries) {
        throw new IOException("too many entries: " + count + " (limit " + maxEntries + ")");
      }
      long maxSize = (long) maxEntries * MAX_RECORD_AVERAGE;
      if (size > maxSize) {
        throw new IOException(
            "central directory too large: " + size + " bytes (limit " + maxSize + ")");
      }
      if (offset + size > length || size > Integer.MAX_VALUE) {
        throw new IOException("corrupt zip archive (central directory outside the file)");
      }
      return entries(read(channel, offset, (int) size), count);
    }
  }

  private static List<Entry> entries(ByteBuffer dir, int count) throws IOException {
    List<Entry> entries = new ArrayList<>(count);
    int pos = 0;
    for (int i = 0; i < count; i++) {
      if (pos + 46 > dir.limit() || dir.getInt(pos) != CENTRAL_SIGNATURE) {
        throw new IOException("corrupt zip archive (central directory entry " + (i + 1) + ")");
      }
      int madeBy = Short.toUnsignedInt(dir.getShort(pos + 4)) >> 8;
      int flags = Short.toUnsignedInt(dir.getShort(pos + 8));
      long size = Integer.toUnsignedLong(dir.getInt(pos + 24));
      int nameLength = Short.toUnsignedInt(dir.getShort(pos + 28));
      int extraLength = Short.toUnsignedInt(dir.getShort(pos + 30));
      int commentLength = Short.toUnsignedInt(dir.getShort(pos + 32));
      long external = Integer.toUnsignedLong(dir.getInt(pos + 38));
      int next = pos + 46 + nameLength + extraLength + commentLength;
      if (next > dir.limit()) {
        throw new IOException("corrupt zip archive (central directory entry " + (i + 1) + ")");
      }
      byte[] raw = new byte[nameLength];
      dir.get(pos + 46, raw);
      // bit 11: UTF-8 names; otherwise CP437, which for the ASCII names of modules is the same
      String name =
          new String(
              raw, (flags & 0x800) != 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
      int mode = madeBy == HOST_UNIX ? (int) (external >>> 16) : 0;
      entries.add(new Entry(name, size, mode));
      pos = next;
    }
    return entries;
  }

  private static ByteBuffer read(FileChannel channel, long position, int size) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("corrupt zip archive (truncated)");
      }
    }
    return buffer.flip();
  }
}
