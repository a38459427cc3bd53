package org.bulwark.fuse.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bulwark.api.fs.FileHolder;

/**
 * Who holds files open under a mount (what {@code fuser -m} tells): every process's descriptors,
 * working directory, read from {@code /proc}. The driver's own process is left out: its descriptors
 * on the real files underneath carry the same path names as the mounted ones. So are processes of
 * other mount namespaces: a path names another file there (two nodes of a test lab on one machine,
 * a container); {@link #inOtherNamespaces} finds those that keep a copy of a mount.
 */
final class Holders {
  private static final Path PROC = Path.of("/proc");

  private Holders() {}

  static List<FileHolder> under(Path dir) throws IOException {
    long selfPid = ProcessHandle.current().pid();
    String own = namespace(PROC.resolve("self"));
    String root = dir.toAbsolutePath().normalize().toString();
    List<FileHolder> found = new ArrayList<>();
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path p : pids) {
        long pid = Long.parseLong(p.getFileName().toString());
        if (pid == selfPid || !java.util.Objects.equals(namespace(p), own)) {
          continue;
        }
        List<Path> links = new ArrayList<>();
        links.add(p.resolve("cwd"));
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(p.resolve("fd"))) {
          fds.forEach(links::add);
        } catch (IOException | SecurityException e) {
          continue; // the process ended meanwhile
        }
        for (Path link : links) {
          String target;
          try {
            target = Files.readSymbolicLink(link).toString();
          } catch (IOException e) {
            continue;
          }
          if (target.equals(root) || target.startsWith(root + "/")) {
            found.add(new FileHolder(pid, command(p), target));
          }
        }
      }
    }
    return found;
  }

  /**
   * Processes of other mount namespaces whose table still has the FUSE connection {@code minor}
   * mounted (a copy made by {@code unshare -m}, a container or a service with mounts of its own
   * while the mount was there, and not unmounted with it where propagation is private): one per
   * namespace, with the path of the mount there. Those keep the connection alive after this
   * namespace's unmount.
   */
  static List<FileHolder> inOtherNamespaces(int minor) throws IOException {
    String own = namespace(PROC.resolve("self"));
    Set<String> seen = new HashSet<>();
    List<FileHolder> found = new ArrayList<>();
    try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path p : pids) {
        String ns = namespace(p);
        if (ns == null || ns.equals(own) || !seen.add(ns)) {
          continue;
        }
        String at;
        try {
          at = MountTable.mountPointOf(p.resolve("mountinfo"), minor);
        } catch (IOException e) {
          seen.remove(ns); // the process ended meanwhile: another of its namespace may tell
          continue;
        }
        if (at != null) {
          found.add(
              new FileHolder(
                  Long.parseLong(p.getFileName().toString()), command(p), at + " (" + ns + ")"));
        }
      }
    }
    return found;
  }

  private static String namespace(Path proc) {
    try {
      return Files.readSymbolicLink(proc.resolve("ns/mnt")).toString();
    } catch (IOException e) {
      return null;
    }
  }

  private static String command(Path proc) {
    try {
      return Files.readString(proc.resolve("comm"), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "?";
    }
  }
}
