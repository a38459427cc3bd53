package org.bulwark.fuse.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.fs.Errno;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code /proc/self/mountinfo} says about a directory, and the clean-up of dead FUSE mounts
 * (issue 6 §4: a node killed with {@code kill -9} leaves a mount answering ENOTCONN).
 */
final class MountTable {
  private static final Logger LOG = LoggerFactory.getLogger(MountTable.class);
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  private static final Path FUSECTL = Path.of("/sys/fs/fuse/connections");

  /** One mount at the directory: its device minor (the FUSE connection number) and type. */
  record Entry(int minor, String type) {
    boolean fuse() {
      return type.equals("fuse") || type.startsWith("fuse.");
    }
  }

  private MountTable() {}

  /** The mounts stacked at {@code dir}, the topmost last. */
  static List<Entry> at(Path dir) throws IOException {
    String want = dir.toAbsolutePath().normalize().toString();
    List<Entry> found = new ArrayList<>();
    for (String line : Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8)) {
      String[] f = line.split(" ");
      int dash = line.indexOf(" - ");
      if (f.length < 5 || dash < 0 || !unescape(f[4]).equals(want)) {
        continue;
      }
      String type = line.substring(dash + 3).split(" ")[0];
      int minor = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1));
      found.add(new Entry(minor, type));
    }
    return found;
  }

  /**
   * Where a mount table ({@code /proc/PID/mountinfo}) mounts the FUSE connection {@code minor}
   * (device {@code 0:minor}), null if it does not.
   */
  static String mountPointOf(Path mountinfo, int minor) throws IOException {
    String device = "0:" + minor;
    for (String line : Files.readAllLines(mountinfo, StandardCharsets.UTF_8)) {
      String[] f = line.split(" ");
      if (f.length >= 5 && f[2].equals(device)) {
        return unescape(f[4]);
      }
    }
    return null;
  }

  /** Whether the topmost mount at {@code dir} is a FUSE mount. */
  static boolean fuseOnTop(Path dir) throws IOException {
    List<Entry> all = at(dir);
    return !all.isEmpty() && all.get(all.size() - 1).fuse();
  }

  /** Lazily unmounts dead FUSE mounts from the top of {@code dir}; returns how many. */
  static int cleanStale(Path dir) throws IOException {
    int cleaned = 0;
    while (fuseOnTop(dir) && dead(dir)) {
      LOG.warn("Dead FUSE mount found at {} (its daemon is gone): lazy unmount", dir);
      try {
        Libc.umount2(cString(dir), Libc.MNT_DETACH);
      } catch (LastErrorException e) {
        throw new IOException(
            "cannot unmount the dead mount at " + dir + ": errno " + e.getErrorCode());
      }
      cleaned++;
    }
    return cleaned;
  }

  /** A FUSE mount whose daemon died answers ENOTCONN to any access. */
  static boolean dead(Path dir) {
    try {
      Libc.fstatat(Libc.AT_FDCWD, cString(dir), new Memory(Libc.STAT_SIZE), 0);
      return false;
    } catch (LastErrorException e) {
      return e.getErrorCode() == Errno.ENOTCONN;
    }
  }

  /**
   * Aborts a FUSE connection (the kernel fails all its pending and future requests): the last step
   * of a forced unmount. Mounts the fusectl file system first if nobody did.
   */
  static void abort(int minor) {
    Path abort = FUSECTL.resolve(Integer.toString(minor)).resolve("abort");
    try {
      if (!Files.exists(abort) && Files.isDirectory(FUSECTL)) {
        new ProcessBuilder("mount", "-t", "fusectl", "fusectl", FUSECTL.toString())
            .redirectErrorStream(true)
            .start()
            .waitFor();
      }
      if (Files.exists(abort)) {
        Files.writeString(abort, "1");
      }
    } catch (IOException e) {
      LOG.warn("Cannot abort FUSE connection {}: {}", minor, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static byte[] cString(Path p) {
    byte[] s = p.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8);
    byte[] z = new byte[s.length + 1];
    System.arraycopy(s, 0, z, 0, s.length);
    return z;
  }

  /** mountinfo escapes space, tab, newline and backslash as octal ({@code \040}). */
  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length()) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
