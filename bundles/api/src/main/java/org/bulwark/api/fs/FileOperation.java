package org.bulwark.api.fs;

import java.nio.ByteBuffer;

/**
 * One mutating operation seen by a {@link FileInterceptor}. Paths are relative to the mounted
 * directory, start with {@code /} ({@code /} itself is the directory), and name the file as the
 * application named it. A {@code path} may be {@code null} when the operation applies to an open
 * file that has since been unlinked.
 */
public sealed interface FileOperation {

  /** Who made the call. */
  Caller caller();

  /** The file or directory the operation changes (the source, for rename and link). */
  String path();

  /** {@code pwrite}: {@code data} from position 0 to its limit goes to {@code offset}. */
  record Write(Caller caller, String path, long offset, ByteBuffer data) implements FileOperation {
    public int length() {
      return data.remaining();
    }
  }

  /** {@code truncate}/{@code ftruncate}, and {@code open} with {@code O_TRUNC} (size 0). */
  record Truncate(Caller caller, String path, long size) implements FileOperation {}

  /** {@code fallocate} with its mode bits (punch hole, keep size, zero range …). */
  record Fallocate(Caller caller, String path, int mode, long offset, long length)
      implements FileOperation {}

  /** A regular file created by {@code open(O_CREAT)}; {@code flags} are the open flags. */
  record Create(Caller caller, String path, int mode, int flags) implements FileOperation {}

  /** {@code mknod}: a fifo, socket, device or regular file; {@code mode} includes the type. */
  record Mknod(Caller caller, String path, int mode, long rdev) implements FileOperation {}

  record Mkdir(Caller caller, String path, int mode) implements FileOperation {}

  record Unlink(Caller caller, String path) implements FileOperation {}

  record Rmdir(Caller caller, String path) implements FileOperation {}

  /** {@code renameat2}; {@code flags} holds RENAME_NOREPLACE (1) or RENAME_EXCHANGE (2). */
  record Rename(Caller caller, String path, String target, int flags) implements FileOperation {}

  /** A hard link {@code target} to the existing {@code path}. */
  record Link(Caller caller, String path, String target) implements FileOperation {}

  /** A symbolic link at {@code path} whose content is {@code content}. */
  record Symlink(Caller caller, String path, String content) implements FileOperation {}

  record Chmod(Caller caller, String path, int mode) implements FileOperation {}

  /** {@code -1} leaves the id unchanged. */
  record Chown(Caller caller, String path, int uid, int gid) implements FileOperation {}

  /** {@code utimensat}: times in nanoseconds since the epoch, or {@link #NOW} / {@link #OMIT}. */
  record SetTimes(Caller caller, String path, long atimeNanos, long mtimeNanos)
      implements FileOperation {
    public static final long NOW = Long.MIN_VALUE;
    public static final long OMIT = Long.MIN_VALUE + 1;
  }

  /** {@code setxattr}; {@code value} is a copy. */
  record SetXattr(Caller caller, String path, String name, byte[] value, int flags)
      implements FileOperation {}

  record RemoveXattr(Caller caller, String path, String name) implements FileOperation {}

  /**
   * {@code fsync}/{@code fdatasync} of a file or a directory: not a change, but a durability
   * barrier the replication must honour before the call returns.
   */
  record Sync(Caller caller, String path, boolean dataOnly) implements FileOperation {}
}
