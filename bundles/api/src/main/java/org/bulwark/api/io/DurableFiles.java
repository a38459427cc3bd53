package org.bulwark.api.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way the node replaces a state file (data freshness, incarnation, applied configurations,
 * installed module trees): after a power cut a reader finds the old content or the new one, never a
 * part, and never an older file coming back after a newer one was reported written.
 *
 * <p>The order is what makes it durable: write a temporary file in the same directory, fsync it,
 * rename it over the target, then fsync the directory. Without the last step the rename lives only
 * in the directory's cached copy, and a power cut can bring the previous file back — for the data
 * freshness, an older "clean stop, up to date" record that would let a stale node start ALONE.
 */
public final class DurableFiles {

  private DurableFiles() {}

  /** Replaces {@code target} with {@code content}, durably. Creates missing parent directories. */
  public static void write(Path target, byte[] content) throws IOException {
    Path dir = directoryOf(target);
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
    try {
      try (FileChannel channel =
          FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      move(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Renames {@code from} to {@code to} as {@code rename(2)} does (a file or an empty directory at
   * {@code to} is replaced) and makes the rename durable by syncing the directories involved. Both
   * must be on one file system. {@code from} must already be durable (fsync'd, or a tree whose
   * files were).
   */
  public static void move(Path from, Path to) throws IOException {
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(directoryOf(to));
    Path fromDir = directoryOf(from);
    if (!fromDir.equals(directoryOf(to))) {
      syncDirectory(fromDir);
    }
  }

  /** Makes the entries of {@code directory} (creations, renames, deletions) durable. */
  public static void syncDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** fsyncs a regular file's content and metadata. */
  public static void syncFile(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  /**
   * fsyncs every regular file and directory of a tree (links are not followed), deepest first, so
   * that a tree about to be renamed into place is complete on disk before the rename is.
   */
  public static void syncTree(Path root) throws IOException {
    try (var walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          syncDirectory(p);
        } else if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          syncFile(p);
        }
      }
    }
  }

  private static Path directoryOf(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null) {
      throw new IllegalArgumentException(file + " has no parent directory");
    }
    return parent;
  }
}
