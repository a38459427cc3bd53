package org.bulwark.api.fs;

/** The kinds of file, with their {@code S_IFMT} bits. */
public enum FileType {
  REGULAR(0100000),
  DIRECTORY(0040000),
  SYMLINK(0120000),
  FIFO(0010000),
  SOCKET(0140000),
  CHARACTER_DEVICE(0020000),
  BLOCK_DEVICE(0060000);

  private final int bits;

  FileType(int bits) {
    this.bits = bits;
  }

  public int bits() {
    return bits;
  }

  /** The type of an {@code st_mode}. */
  public static FileType of(int stMode) {
    int t = stMode & 0170000;
    for (FileType f : values()) {
      if (f.bits == t) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown file type in mode " + Integer.toOctalString(stMode));
  }
}
