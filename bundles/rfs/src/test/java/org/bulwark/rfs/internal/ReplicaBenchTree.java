package org.bulwark.rfs.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The trees of the replication benchmark ({@link ReplicaBench}), made and changed the same way from
 * a seed:
 *
 * <ul>
 *   <li>{@code tree DIR [SCALE]}: about 4 GiB of mixed sizes: 10,000 small files (1–64 KiB, in 100
 *       directories), 200 of 1–8 MiB, and four large ones (256 MiB, 512 MiB, 1 GiB, 1 GiB); SCALE
 *       multiplies every count and the large sizes (a quick trial: 0.05);
 *   <li>{@code many DIR N}: N files of 0–8 KiB, 1,000 per directory;
 *   <li>{@code change DIR localized|scattered FRACTION SEED}: changes that fraction of the bytes of
 *       the tree under DIR (the primary's mount, so that the replication records them). {@code
 *       localized}: that fraction of the small and of the medium files rewritten whole, and in each
 *       large file one contiguous region of that fraction of its size; {@code scattered}: 4 KiB
 *       writes at offsets drawn uniformly over all the bytes of the tree (the worst case for a
 *       zone-based record).
 * </ul>
 *
 * Files are written in full (no holes: the copy would skip them) with data that does not compress.
 * Prints {@code TREE files bytes} or {@code CHANGED files bytes writes}.
 */
final class ReplicaBenchTree {
  private static final int MIB = 1 << 20;
  private static final long LARGE = 64L * MIB;

  private ReplicaBenchTree() {}

  static void main(String[] args) throws IOException {
    switch (args[0]) {
      case "tree" -> mixed(Path.of(args[1]), args.length > 2 ? Double.parseDouble(args[2]) : 1);
      case "many" -> many(Path.of(args[1]), Integer.parseInt(args[2]));
      case "change" ->
          change(Path.of(args[1]), args[2], Double.parseDouble(args[3]), Long.parseLong(args[4]));
      default -> throw new IllegalArgumentException("unknown " + args[0]);
    }
  }

  /** Random data, with a stamp every 4 KiB so that no two blocks are the same. */
  private static final class Data {
    private final byte[] block = new byte[MIB];
    private long stamp;

    Data(long seed) {
      new Random(seed).nextBytes(block);
      stamp = seed << 32;
    }

    ByteBuffer next(int length) {
      ByteBuffer b = ByteBuffer.wrap(block, 0, length);
      for (int at = 0; at + 8 <= length; at += 4096) {
        b.putLong(at, stamp++);
      }
      return b;
    }
  }

  private static long write(Path file, long size, Data data) throws IOException {
    Files.createDirectories(file.getParent());
    try (FileChannel c =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      for (long at = 0; at < size; ) {
        ByteBuffer b = data.next((int) Math.min(MIB, size - at));
        at += b.remaining();
        while (b.hasRemaining()) {
          c.write(b);
        }
      }
    }
    return size;
  }

  static void mixed(Path dir, double scale) throws IOException {
    Random r = new Random(1);
    Data data = new Data(2);
    long files = 0;
    long bytes = 0;
    int small = (int) Math.round(10_000 * scale);
    for (int i = 0; i < small; i++) {
      long size = 1024 + r.nextInt(63 * 1024 + 1);
      bytes += write(dir.resolve(String.format("small/d%02d/f%05d", i % 100, i)), size, data);
      files++;
    }
    int medium = (int) Math.max(1, Math.round(200 * scale));
    for (int i = 0; i < medium; i++) {
      long size = MIB + r.nextInt(7 * MIB + 1);
      bytes += write(dir.resolve(String.format("medium/m%03d", i)), size, data);
      files++;
    }
    long[] large = {256L * MIB, 512L * MIB, 1024L * MIB, 1024L * MIB};
    for (int i = 0; i < large.length; i++) {
      long size = Math.max(LARGE, (long) (large[i] * scale) / 4096 * 4096);
      bytes += write(dir.resolve("large/l" + i), size, data);
      files++;
    }
    ReplicaBench.say("TREE " + files + " " + bytes);
  }

  static void many(Path dir, int n) throws IOException {
    Random r = new Random(3);
    Data data = new Data(4);
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      bytes += write(dir.resolve(String.format("d%03d/f%06d", i / 1000, i)), r.nextInt(8193), data);
    }
    ReplicaBench.say("TREE " + n + " " + bytes);
  }

  private record Sized(Path path, long size) {}

  static void change(Path dir, String how, double fraction, long seed) throws IOException {
    List<Sized> all = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        all.add(new Sized(p, Files.size(p)));
      }
    }
    Random r = new Random(seed);
    Data data = new Data(seed + 1000);
    long[] done = {0, 0, 0}; // files, bytes, writes
    if (how.equals("localized")) {
      List<Sized> small = all.stream().filter(f -> f.size < MIB).toList();
      List<Sized> medium = all.stream().filter(f -> f.size >= MIB && f.size < LARGE).toList();
      for (List<Sized> group : List.of(small, medium)) {
        int n = (int) Math.round(group.size() * fraction);
        List<Sized> pick = new ArrayList<>(group);
        java.util.Collections.shuffle(pick, r);
        for (Sized f : pick.subList(0, n)) {
          overwrite(f.path, 0, f.size, data, done);
          done[0]++;
        }
      }
      for (Sized f : all.stream().filter(f -> f.size >= LARGE).toList()) {
        long length = (long) (f.size * fraction) / 4096 * 4096;
        long at = (long) (r.nextDouble() * (f.size - length)) / 4096 * 4096;
        overwrite(f.path, at, length, data, done);
        done[0]++;
      }
    } else if (how.equals("scattered")) {
      long[] ends = new long[all.size()];
      long total = 0;
      for (int i = 0; i < all.size(); i++) {
        total += all.get(i).size;
        ends[i] = total;
      }
      long writes = (long) (total * fraction) / 4096;
      java.util.Set<Path> touched = new java.util.HashSet<>();
      for (long w = 0; w < writes; w++) {
        long at = (long) (r.nextDouble() * total);
        int i = java.util.Arrays.binarySearch(ends, at + 1);
        i = i >= 0 ? i : -i - 1;
        Sized f = all.get(i);
        long in = at - (ends[i] - f.size);
        long offset = Math.max(0, Math.min(in / 4096 * 4096, f.size - 4096));
        overwrite(f.path, offset, Math.min(4096, f.size), data, done);
        touched.add(f.path);
      }
      done[0] = touched.size();
    } else {
      throw new IllegalArgumentException("localized or scattered, not " + how);
    }
    ReplicaBench.say("CHANGED " + done[0] + " " + done[1] + " " + done[2]);
  }

  private static void overwrite(Path file, long at, long length, Data data, long[] done)
      throws IOException {
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
      for (long end = at + length; at < end; ) {
        ByteBuffer b = data.next((int) Math.min(MIB, end - at));
        int n = b.remaining();
        while (b.hasRemaining()) {
          c.write(b, at + b.position());
        }
        at += n;
        done[1] += n;
        done[2]++;
      }
    }
  }
}
