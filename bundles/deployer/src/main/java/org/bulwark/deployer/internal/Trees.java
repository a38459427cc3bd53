package org.bulwark.deployer.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.bulwark.api.io.DurableFiles;

/** Directory trees: atomic writes and swaps, copies that never follow links, signatures, zips. */
final class Trees {

  private Trees() {}

  /** Writes a file so that readers see the old content or the new, never a part, durably. */
  static void writeAtomically(Path target, byte[] content) throws IOException {
    DurableFiles.write(target, content);
  }

  /** A fresh hidden directory next to {@code target}, on the same file system for the rename. */
  static Path sibling(Path target, String purpose) throws IOException {
    Files.createDirectories(target.getParent());
    return Files.createDirectory(
        target.resolveSibling(
            "." + target.getFileName() + "." + purpose + "." + UUID.randomUUID()));
  }

  /**
   * Puts {@code fresh} in place of {@code target} with renames only. When this returns, {@code
   * target} is the new tree; the previous one (if any) is returned and must be deleted by the
   * caller once nothing can fail any more, or moved back by {@link #restore}.
   */
  static Path swap(Path fresh, Path target) throws IOException {
    DurableFiles.syncTree(fresh);
    Path old = null;
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      old = target.resolveSibling("." + target.getFileName() + ".old." + UUID.randomUUID());
      move(target, old);
    }
    try {
      move(fresh, target);
    } catch (IOException e) {
      if (old != null) {
        move(old, target);
      }
      throw e;
    }
    return old;
  }

  /** Undoes {@link #swap}: the new tree is deleted and the previous one put back. */
  static void restore(Path target, Path old) throws IOException {
    deleteRecursively(target);
    if (old != null) {
      move(old, target);
    }
  }

  /** A rename within one file system, made durable (see {@link DurableFiles#move}). */
  static void move(Path from, Path to) throws IOException {
    DurableFiles.move(from, to);
  }

  /** Deletes a tree without following links; a missing tree is fine. */
  static void deleteRecursively(Path root) throws IOException {
    if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.delete(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Best-effort delete for cleanup paths, where the first error is already being reported. */
  static void deleteQuietly(Path root) {
    try {
      deleteRecursively(root);
    } catch (IOException e) {
      // the original failure is what the administrator needs to see
    }
  }

  /** Copies a tree, keeping permissions; links are copied as links, never followed. */
  static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path source : walk.sorted().collect(Collectors.toList())) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }

  /** The regular files and links of a tree, relative, in a stable order. */
  static List<String> files(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  /** SHA-256 over the relative names and contents of the given subtrees of {@code root}. */
  static String signature(Path root, List<String> subtrees) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    for (String subtree : subtrees) {
      for (String name : files(root.resolve(subtree))) {
        Path file = root.resolve(subtree).resolve(name);
        digest.update((subtree + "/" + name + "\0").getBytes(StandardCharsets.UTF_8));
        if (Files.isSymbolicLink(file)) {
          digest.update(Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8));
        } else {
          digest.update(Files.readAllBytes(file));
        }
        digest.update((byte) 0);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * Zips {@code root} as {@code top/…} (the layout of a {@code .safe}, spec B.21), written
   * atomically to {@code target}. Links are not packaged: a package carries files.
   */
  static void zip(Path root, String top, Path target) throws IOException {
    Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID());
    try {
      try (OutputStream os = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW);
          ZipOutputStream zip = new ZipOutputStream(os, StandardCharsets.UTF_8)) {
        for (String name : files(root)) {
          Path file = root.resolve(name);
          if (Files.isSymbolicLink(file)) {
            continue;
          }
          zip.putNextEntry(new ZipEntry(top + "/" + name));
          Files.copy(file, zip);
          zip.closeEntry();
        }
      }
      DurableFiles.syncFile(temp);
      move(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
