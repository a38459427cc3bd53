package org.bulwark.itests;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The trees a replication test starts from, written on the host into a node's private directory.
 */
final class SampleTrees {
  private static final Instant T0 = Instant.parse("2021-03-04T05:06:07.123456789Z");
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

  private SampleTrees() {}

  /**
   * A primary's data: files with their own modes, owners, times and an extended attribute, nested
   * directories, an empty file, a 5 MiB file, a relative symlink and a dangling one.
   */
  static void populate(Path d) throws Exception {
    Files.writeString(d.resolve("hello.txt"), "hello\n");
    Files.getFileAttributeView(d.resolve("hello.txt"), UserDefinedFileAttributeView.class)
        .write("color", ByteBuffer.wrap("blue".getBytes(StandardCharsets.UTF_8)));
    Files.createDirectories(d.resolve("etc/nested/deep"));
    Files.writeString(d.resolve("etc/app.conf"), "port=8080\n");
    Files.createFile(d.resolve("etc/nested/deep/empty"));
    Files.createDirectories(d.resolve("bin"));
    Files.writeString(d.resolve("bin/run.sh"), "#!/bin/sh\necho run\n");
    byte[] big = new byte[5 << 20];
    new Random(42).nextBytes(big);
    Files.write(d.resolve("big.bin"), big);
    Files.createSymbolicLink(d.resolve("current"), Path.of("etc/app.conf"));
    Files.createSymbolicLink(d.resolve("dangling"), Path.of("/nonexistent/target"));

    mode(d.resolve("hello.txt"), "rw-r-----");
    mode(d.resolve("etc"), "rwxr-x---");
    mode(d.resolve("bin/run.sh"), "rwxr-x---");
    mode(d.resolve("big.bin"), "rw-------");
    owner(d.resolve("hello.txt"), 1234, 2345);
    owner(d.resolve("etc"), 1234, 2345);
    owner(d.resolve("etc/nested/deep/empty"), 0, 2345);
    owner(d.resolve("current"), 1234, 2345);
    // children before their directories: creating an entry changes its directory's time
    String[] byAge = {
      "hello.txt",
      "etc/app.conf",
      "etc/nested/deep/empty",
      "bin/run.sh",
      "big.bin",
      "current",
      "dangling",
      "etc/nested/deep",
      "etc/nested",
      "etc",
      "bin",
      ""
    };
    for (int i = 0; i < byAge.length; i++) {
      mtime(d.resolve(byAge[i]), T0.plusSeconds(i * 3600L));
    }
  }

  /**
   * A secondary's stale junk beside {@link #populate}'s tree: a file that differs, a file where
   * that tree has a directory and another where it has a symlink, a tree it lacks, and a 5 MiB file
   * of the same size and time as its own but other bytes, which only the full first reintegration
   * finds (spec C.4 case 1).
   */
  static void junk(Path d) throws Exception {
    Files.writeString(d.resolve("hello.txt"), "HELLO, stale and longer\n");
    mode(d.resolve("hello.txt"), "rw-rw-rw-");
    Files.writeString(d.resolve("etc"), "not a directory\n");
    Files.writeString(d.resolve("current"), "not a link\n");
    Files.createDirectories(d.resolve("junk/a/b"));
    Files.writeString(d.resolve("junk/a/b/c.txt"), "junk\n");
    byte[] big = new byte[5 << 20];
    new Random(7).nextBytes(big);
    Files.write(d.resolve("big.bin"), big);
    mode(d.resolve("big.bin"), "rw-------");
    mtime(d.resolve("big.bin"), T0.plusSeconds(4 * 3600L));
  }

  /**
   * {@code files} files of {@code bytes} random bytes each (seeded), spread over 4 directories of
   * {@code d}: bulk for a reintegration that lasts. Returns their paths relative to {@code d}.
   */
  static List<Path> bulk(Path d, int files, int bytes) throws IOException {
    Random random = new Random(files);
    byte[] content = new byte[bytes];
    List<Path> made = new ArrayList<>();
    for (int i = 0; i < files; i++) {
      Path f = Path.of("bulk" + i % 4, String.format("f%03d.bin", i));
      Files.createDirectories(d.resolve(f).getParent());
      random.nextBytes(content);
      Files.write(d.resolve(f), content);
      made.add(f);
    }
    return made;
  }

  private static void mode(Path p, String rwx) throws Exception {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(rwx));
  }

  private static void owner(Path p, int uid, int gid) throws Exception {
    Files.setAttribute(p, "unix:uid", uid, NOFOLLOW);
    Files.setAttribute(p, "unix:gid", gid, NOFOLLOW);
  }

  private static void mtime(Path p, Instant at) throws Exception {
    Files.getFileAttributeView(p, BasicFileAttributeView.class, NOFOLLOW)
        .setTimes(FileTime.from(at), null, null);
  }
}
