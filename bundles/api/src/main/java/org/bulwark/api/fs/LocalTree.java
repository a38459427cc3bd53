package org.bulwark.api.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A directory of this node reached through a descriptor opened before anything is mounted over it:
 * the real files under a replicated directory, for the replication that writes them on the
 * secondary and reads them on the primary (spec B.7, C.4; DESIGN: "the secondary never leaves its
 * root").
 *
 * <p>Paths are relative to the tree's root, {@code /}-separated, and may start with {@code /}; the
 * empty path and {@code /} name the root. A path with an empty, {@code .} or {@code ..} component,
 * or a NUL byte, is refused with {@code EINVAL} before any system call. Every path is resolved
 * beneath the root by the kernel ({@code openat2} with {@code RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS
 * | RESOLVE_NO_MAGICLINKS}): no component may be a symbolic link, so neither a hostile message nor
 * a link planted in the tree can reach a file outside it. The last component of a path is never
 * followed either: operations on a symbolic link act on the link ({@code lstat}, {@code lchown}
 * semantics), and opening one fails with {@code ELOOP}.
 *
 * <p>Failures are {@link ErrnoException}s carrying the errno of the system call. Thread-safe.
 */
@ProviderType
public interface LocalTree extends AutoCloseable {

  /** The directory this tree was opened on. */
  Path directory();

  // ---- reading the tree ----

  /** {@code lstat}; empty when nothing is there ({@code ENOENT}). */
  Optional<FileStat> stat(String path) throws IOException;

  /** The names in a directory, in no particular order. */
  List<DirEntry> list(String directory) throws IOException;

  /** The target of a symbolic link. */
  String readLink(String path) throws IOException;

  /** The extended attribute names of a file (of the link itself for a symbolic link). */
  List<String> xattrNames(String path) throws IOException;

  /** One extended attribute's value; empty when absent ({@code ENODATA}). */
  Optional<byte[]> xattr(String path, String name) throws IOException;

  /** {@code statfs}: free bytes for an unprivileged user, then total bytes, of the tree's disk. */
  long[] space() throws IOException;

  // ---- files ----

  /**
   * Opens a regular file. {@code flags} are {@code open(2)} flags ({@code O_RDONLY}, {@code
   * O_WRONLY}, {@code O_RDWR}, {@code O_CREAT}, {@code O_EXCL}, {@code O_TRUNC}); {@code
   * O_NOFOLLOW} and {@code O_CLOEXEC} are always added. {@code mode} applies when the file is
   * created (the process umask does not).
   */
  OpenFile open(String path, int flags, int mode) throws IOException;

  // ---- changing the tree (each call is one system call on the parent directory's descriptor) ----

  /** {@code mknod}: a regular file, fifo, socket or device; {@code mode} includes the type. */
  void mknod(String path, int mode, long rdev) throws IOException;

  void mkdir(String path, int mode) throws IOException;

  void unlink(String path) throws IOException;

  void rmdir(String path) throws IOException;

  /** {@code renameat2} with {@code RENAME_NOREPLACE} (1) or {@code RENAME_EXCHANGE} (2). */
  void rename(String from, String to, int flags) throws IOException;

  /** A hard link {@code newPath} to {@code existing}. */
  void link(String existing, String newPath) throws IOException;

  /** A symbolic link at {@code path} pointing to {@code target} (any text; never followed here). */
  void symlink(String path, String target) throws IOException;

  /** Permission bits of a file or directory (symbolic links have none on Linux). */
  void chmod(String path, int mode) throws IOException;

  /** Owner and group; {@code -1} leaves one unchanged; acts on a symbolic link itself. */
  void chown(String path, int uid, int gid) throws IOException;

  /**
   * Access and modification times in nanoseconds since the epoch, or {@link
   * FileOperation.SetTimes#NOW} / {@link FileOperation.SetTimes#OMIT}; acts on a link itself.
   */
  void setTimes(String path, long atimeNanos, long mtimeNanos) throws IOException;

  /** {@code setxattr} with {@code XATTR_CREATE} (1) / {@code XATTR_REPLACE} (2) flags. */
  void setXattr(String path, String name, byte[] value, int flags) throws IOException;

  void removeXattr(String path, String name) throws IOException;

  /** {@code fsync} of a file or directory (directories: their entries). */
  void sync(String path, boolean dataOnly) throws IOException;

  /** {@code syncfs}: everything written to the tree's file system is on disk. */
  void syncAll() throws IOException;

  /** Closes the tree's descriptor; open files stay usable until closed. */
  @Override
  void close() throws IOException;

  /**
   * An open regular file. Positional reads and writes; thread-safe. Implemented by the driver only
   * (methods may be added in minor versions).
   */
  @ProviderType
  interface OpenFile extends AutoCloseable {

    /**
     * Reads at {@code offset} into {@code dst} (from its position); returns bytes read, 0 at EOF.
     */
    int read(long offset, ByteBuffer dst) throws IOException;

    /** Writes all of {@code src} (from its position to its limit) at {@code offset}. */
    void write(long offset, ByteBuffer src) throws IOException;

    void truncate(long size) throws IOException;

    /** {@code fallocate} with its mode bits (keep size 1, punch hole 2, zero range 16 …). */
    void fallocate(int mode, long offset, long length) throws IOException;

    /** {@code lseek} with {@code SEEK_DATA} (3) or {@code SEEK_HOLE} (4); -1 past the last data. */
    long seek(long offset, int whence) throws IOException;

    /** {@code fsync}, or {@code fdatasync} when {@code dataOnly}. */
    void sync(boolean dataOnly) throws IOException;

    /**
     * {@code sync_file_range}: {@code SYNC_FILE_RANGE_WRITE} (2) starts writing back the dirty
     * pages of {@code length} bytes at {@code offset} (0: to the end of the file) without waiting;
     * {@code SYNC_FILE_RANGE_WAIT_BEFORE} (1) and {@code SYNC_FILE_RANGE_WAIT_AFTER} (4) wait for
     * the range's writeback already under way, and for the one just started. Neither the file's
     * metadata nor the disk's cache is made durable: this is no {@link #sync}, only a way to write
     * back while more is written (a copy that would otherwise leave it all to a final sync).
     */
    void syncRange(long offset, long length, int flags) throws IOException;

    /**
     * {@code futimens}: access and modification times in nanoseconds since the epoch, or {@link
     * FileOperation.SetTimes#NOW} / {@link FileOperation.SetTimes#OMIT}.
     */
    void setTimes(long atimeNanos, long mtimeNanos) throws IOException;

    FileStat stat() throws IOException;

    @Override
    void close() throws IOException;
  }
}
