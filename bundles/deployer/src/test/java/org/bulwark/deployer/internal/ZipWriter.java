package org.bulwark.deployer.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes zip files byte by byte, so that tests can build what {@code ZipOutputStream} refuses to:
 * duplicate names, Unix modes (symbolic links), sizes that lie.
 */
final class ZipWriter {

  private record Item(String name, byte[] data, int unixMode, boolean deflate, long declared) {}

  private final List<Item> items = new ArrayList<>();

  ZipWriter file(String name, String content) {
    return add(name, content.getBytes(StandardCharsets.UTF_8), 0100644, false, -1);
  }

  ZipWriter executable(String name, String content) {
    return add(name, content.getBytes(StandardCharsets.UTF_8), 0100755, false, -1);
  }

  ZipWriter dir(String name) {
    return add(name, new byte[0], 040755, false, -1);
  }

  ZipWriter symlink(String name, String target) {
    return add(name, target.getBytes(StandardCharsets.UTF_8), 0120777, false, -1);
  }

  /** A deflated entry whose central directory declares {@code declared} bytes (-1: the truth). */
  ZipWriter deflated(String name, byte[] data, long declared) {
    return add(name, data, 0100644, true, declared);
  }

  ZipWriter add(String name, byte[] data, int mode, boolean deflate, long declared) {
    items.add(new Item(name, data, mode, deflate, declared));
    return this;
  }

  Path write(Path file) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream central = new ByteArrayOutputStream();
    for (Item item : items) {
      byte[] name = item.name().getBytes(StandardCharsets.UTF_8);
      CRC32 crc = new CRC32();
      crc.update(item.data());
      byte[] stored = item.deflate() ? deflate(item.data()) : item.data();
      long size = item.declared() >= 0 ? item.declared() : item.data().length;
      int offset = out.size();
      ByteBuffer local = le(30 + name.length);
      local.putInt(0x04034b50).putShort((short) 20).putShort((short) 0x800);
      local.putShort((short) (item.deflate() ? 8 : 0)).putInt(0);
      local.putInt((int) crc.getValue()).putInt(stored.length).putInt((int) size);
      local.putShort((short) name.length).putShort((short) 0).put(name);
      out.write(local.array());
      out.write(stored);
      ByteBuffer dir = le(46 + name.length);
      dir.putInt(0x02014b50).putShort((short) (3 << 8 | 20)).putShort((short) 20);
      dir.putShort((short) 0x800).putShort((short) (item.deflate() ? 8 : 0)).putInt(0);
      dir.putInt((int) crc.getValue()).putInt(stored.length).putInt((int) size);
      dir.putShort((short) name.length).putShort((short) 0).putShort((short) 0);
      dir.putShort((short) 0).putShort((short) 0).putInt(item.unixMode() << 16).putInt(offset);
      dir.put(name);
      central.write(dir.array());
    }
    int centralOffset = out.size();
    out.write(central.toByteArray());
    ByteBuffer end = le(22);
    end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0);
    end.putShort((short) items.size()).putShort((short) items.size());
    end.putInt(central.size()).putInt(centralOffset).putShort((short) 0);
    out.write(end.array());
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, out.toByteArray());
    return file;
  }

  private static ByteBuffer le(int size) {
    return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] deflate(byte[] data) {
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    deflater.setInput(data);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }
}
