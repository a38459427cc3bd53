package org.bulwark.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One line of {@code /proc/<pid>/mountinfo} (proc(5)): what the lab checks before it unmounts or
 * deletes anything, so that it touches only what it made.
 */
record MountInfo(int id, String mountPoint, String root, String fsType, String source) {

  /** The mounts of the host's namespace, the one this test JVM lives in, bottom to top. */
  static List<MountInfo> host() throws IOException {
    return of(Path.of("/proc/self/mountinfo"));
  }

  static List<MountInfo> of(Path mountinfo) throws IOException {
    return Files.readAllLines(mountinfo).stream().map(MountInfo::parse).toList();
  }

  /** Mounts at {@code dir} or beneath it. */
  static List<MountInfo> under(List<MountInfo> mounts, Path dir) {
    String d = dir.toString();
    return mounts.stream()
        .filter(m -> m.mountPoint.equals(d) || m.mountPoint.startsWith(d + "/"))
        .toList();
  }

  static MountInfo parse(String line) {
    // id parent major:minor root mount-point options [optional...] - fstype source super-options
    String[] f = line.split(" ");
    int dash = List.of(f).indexOf("-");
    return new MountInfo(
        Integer.parseInt(f[0]), unescape(f[4]), unescape(f[3]), f[dash + 1], unescape(f[dash + 2]));
  }

  /** The kernel writes space, tab, newline and backslash as octal escapes ({@code \040}). */
  private static String unescape(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 4 <= s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
