package org.bulwark.api.fs;

/**
 * What {@code lstat} says of a file (the link itself for a symbolic link).
 *
 * @param type the kind of file
 * @param mode permission bits with set-user-ID, set-group-ID and sticky ({@code st_mode & 07777})
 * @param uid owner
 * @param gid group
 * @param size length in bytes
 * @param nlink hard links
 * @param ino inode number: with {@code dev}, the file's identity while it exists
 * @param dev device of the file system holding it
 * @param rdev the device, for character and block devices
 * @param atimeNanos access time, nanoseconds since the epoch
 * @param mtimeNanos modification time, nanoseconds since the epoch
 * @param blocks 512-byte blocks allocated (less than size / 512 for a sparse file)
 */
public record FileStat(
    FileType type,
    int mode,
    int uid,
    int gid,
    long size,
    long nlink,
    long ino,
    long dev,
    long rdev,
    long atimeNanos,
    long mtimeNanos,
    long blocks) {

  /** {@code st_mode}: the type bits and the permission bits, as {@code mknod} takes them. */
  public int fullMode() {
    return type.bits() | mode;
  }
}
