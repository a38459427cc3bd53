package org.bulwark.itests;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.bulwark.itests.NodeProcess.Result;

/**
 * One run of the network lab and the name of everything it creates: {@code
 * bwlab-<pid>-<start>-<n>}, the test JVM's pid, that process's start time (clock ticks since boot,
 * so that a pid reused later names another run) and a counter for several labs in one JVM. Its
 * network namespaces are {@code <id>-<what>}, its files live in {@code /var/tmp/bulwark-lab/<id>}.
 *
 * <p>A run is alive while its JVM is: a test JVM killed (kill -9, a CI timeout) leaves namespaces,
 * node processes and files behind, and the next lab removes them, by the prefix and only when their
 * JVM is gone, before it creates anything ({@link #removeLeftovers}). Nothing without the prefix is
 * ever touched.
 *
 * <p>The prefix is {@code bwlab} unless the system property {@code lab.prefix} names another one
 * (letters and digits, no {@code -}): engineers who run labs side by side on one machine give each
 * a prefix of its own, so that no run ever mistakes another's names for its own shape.
 */
final class LabRun {
  static final String PREFIX = prefix(System.getProperty("lab.prefix", "bwlab")) + "-";
  static final Path ROOT = Path.of("/var/tmp/bulwark-lab");
  private static final Duration STEP = Duration.ofSeconds(30);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  final String id;

  /** Everything of this run on disk: node copies, private directories, cluster files. */
  final Path dir;

  private LabRun(String id, Path dir) {
    this.id = id;
    this.dir = dir;
  }

  private static String prefix(String p) {
    if (!p.matches("[a-z][a-z0-9]{0,7}")) {
      throw new IllegalArgumentException(
          "lab.prefix '" + p + "': 1 to 8 lower-case letters and digits, a letter first");
    }
    return p;
  }

  /** Removes the leftovers of dead runs, then begins a new run with its directory. */
  static LabRun begin() throws IOException, InterruptedException {
    removeLeftovers();
    long pid = ProcessHandle.current().pid();
    long start = startTime(pid).orElseThrow(() -> new IllegalStateException("no /proc/self"));
    String id = PREFIX + pid + "-" + start + "-" + COUNTER.incrementAndGet();
    while (true) {
      Files.createDirectories(ROOT);
      try {
        return new LabRun(id, Files.createDirectory(ROOT.resolve(id)));
      } catch (NoSuchFileException rootJustDeleted) {
        // the last run of another lab deleted the empty root between our two calls: again
      }
    }
  }

  /** The name of this run's network namespace {@code what}, e.g. {@code bwlab-…-n1}. */
  String namespace(String what) {
    return id + "-" + what;
  }

  /**
   * Removes what runs whose JVM is gone left: their network namespaces with every process in them,
   * then their directories (unmounting first what is mounted beneath, in the host's namespace).
   * Returns what it removed.
   */
  static List<String> removeLeftovers() throws IOException, InterruptedException {
    List<String> removed = new ArrayList<>();
    for (String ns : namespaces()) {
      if (ns.startsWith(PREFIX) && !alive(runOf(ns))) {
        deleteNamespace(ns);
        removed.add("netns " + ns);
      }
    }
    if (Files.isDirectory(ROOT)) {
      try (DirectoryStream<Path> runs = Files.newDirectoryStream(ROOT, PREFIX + "*")) {
        for (Path d : runs) {
          if (!alive(d.getFileName().toString())) {
            unmountBeneath(d);
            FileTrees.delete(d);
            removed.add(d.toString());
          }
        }
      }
    }
    return removed;
  }

  /** The named network namespaces ({@code ip netns list}). */
  static List<String> namespaces() throws IOException, InterruptedException {
    Result r = must("ip", "netns", "list");
    // "name (id: 3)" or "name"
    return r.out().lines().map(l -> l.split(" ")[0]).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * kill -9 of every process in the namespace, then its name removed: its interfaces (veth ends,
   * the bridge) go with the namespace once nothing holds it.
   */
  static void deleteNamespace(String ns) throws IOException, InterruptedException {
    List<String> seen = new ArrayList<>();
    NodeNamespace.await(
        () -> {
          List<String> pids = pidsIn(ns);
          seen.addAll(pids);
          pids.forEach(
              p -> ProcessHandle.of(Long.parseLong(p)).ifPresent(ProcessHandle::destroyForcibly));
          return pids.isEmpty();
        },
        STEP,
        () -> "processes of " + ns + " outlived kill -9: " + seen);
    must("ip", "netns", "delete", ns);
  }

  /** The live processes in a network namespace (zombies have left it). */
  private static List<String> pidsIn(String ns) {
    try {
      Result r = NodeProcess.run(List.of("ip", "netns", "pids", ns), Map.of(), STEP);
      return r.out().lines().filter(p -> NodeProcess.running(Long.parseLong(p))).toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The run id a namespace name begins with: the prefix and three fields. */
  static String runOf(String namespace) {
    String[] f = namespace.split("-");
    return f.length < 4 ? namespace : String.join("-", f[0], f[1], f[2], f[3]);
  }

  /** Whether the JVM that began run {@code id} still runs: same pid, same start time. */
  static boolean alive(String id) {
    String[] f = id.split("-");
    try {
      long pid = Long.parseLong(f[1]);
      long start = Long.parseLong(f[2]);
      return NodeProcess.running(pid) && startTime(pid).equals(Optional.of(start));
    } catch (RuntimeException notOurs) { // a name with the prefix but not our shape: let it be
      return true;
    }
  }

  /** Field 22 of {@code /proc/<pid>/stat} (proc(5)): when the process started. */
  private static Optional<Long> startTime(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(Long.parseLong(fields[19])); // fields[0] is field 3, the state
    } catch (IOException gone) {
      return Optional.empty();
    }
  }

  /** Unmounts, deepest first, every host mount at or beneath {@code dir}. */
  private static void unmountBeneath(Path dir) throws IOException, InterruptedException {
    List<MountInfo> mounts = new ArrayList<>(MountInfo.under(MountInfo.host(), dir));
    mounts.sort(Comparator.comparing(MountInfo::mountPoint).reversed());
    for (MountInfo m : mounts) {
      must("umount", m.mountPoint());
    }
  }

  /**
   * Deletes this run's directory, and the lab's root once empty; refuses while anything is mounted
   * beneath it.
   */
  void deleteDirectory() throws IOException {
    List<MountInfo> left = MountInfo.under(MountInfo.host(), dir);
    if (!left.isEmpty()) {
      throw new IllegalStateException(dir + " not deleted: still mounted beneath it " + left);
    }
    FileTrees.delete(dir);
    try {
      Files.deleteIfExists(ROOT);
    } catch (DirectoryNotEmptyException othersStillThere) {
      // another run is in it: the last one deletes it
    }
  }

  /** Runs a command to its end, at most 30 s; fails naming it unless it exits 0. */
  static Result must(String... command) throws IOException, InterruptedException {
    Result r = NodeProcess.run(List.of(command), Map.of(), STEP);
    if (r.exitCode() != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + r);
    }
    return r;
  }
}
