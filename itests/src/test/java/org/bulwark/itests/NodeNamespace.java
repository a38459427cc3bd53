package org.bulwark.itests;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.bulwark.itests.NodeProcess.Result;

/**
 * One node of the namespace lab: its JVM, the scripts it runs and the clients a test starts beside
 * it live in a mount namespace of their own (propagation private) in which the node's private
 * directory is bound at the shared path, the one path every node replicates in production. Every
 * start of the node makes a new namespace with the same binding. In the network lab ({@link
 * NetLab}) the node starts in a network namespace of its own as well ({@link #inNetwork}).
 *
 * <p>A process is this node's when its mount namespace is one the node's JVM lived in. Namespace
 * ids are inode numbers that the kernel reuses as soon as a namespace dies, so each namespace is
 * held open (a descriptor on {@code /proc/<jvm>/ns/mnt}) until no process is left in it: an id held
 * can only name this node's namespace, never a later one of another node.
 */
final class NodeNamespace implements NodeProcess.Launcher {
  /** Runs in the new namespace: bind the private directory, then become the start command. */
  private static final String BIND_THEN_EXEC =
      "mount --bind \"$1\" \"$2\" && shift 2 && exec \"$@\"";

  private static final Duration KILL_DEADLINE = Duration.ofSeconds(30);

  final NodeProcess node;
  final PrivateDisk disk;
  final Path shared;

  /**
   * The named network namespace ({@code ip netns}) the node starts in, or null for the host's
   * network: see {@link #inNetwork}.
   */
  private volatile String netns;

  /** The namespaces this node's processes may live in, by id, each held open. Guarded by this. */
  private final Map<String, FileChannel> held = new LinkedHashMap<>();

  /** Every later start of {@code node} is in a new namespace with {@code disk.data} at shared. */
  NodeNamespace(NodeProcess node, PrivateDisk disk, Path shared) {
    this.node = node;
    this.disk = disk;
    this.shared = shared;
    node.launchWith(this);
  }

  /**
   * Every later start of the node is in the network namespace {@code name} too ({@code ip netns
   * exec}), and {@link #run}/{@link #spawn} enter it with the mount namespace: the network lab.
   */
  void inNetwork(String name) {
    this.netns = name;
  }

  @Override
  public List<String> command(List<String> start) {
    List<String> c = new ArrayList<>();
    String n = netns;
    if (n != null) {
      c.addAll(List.of("ip", "netns", "exec", n));
    }
    c.addAll(List.of("unshare", "--mount", "--propagation", "private"));
    c.addAll(List.of("--", "sh", "-c", BIND_THEN_EXEC, "bulwark-ns"));
    c.addAll(List.of(disk.data.toString(), shared.toString()));
    c.addAll(start);
    return c;
  }

  @Override
  public synchronized void started(NodeProcess n) throws IOException {
    Optional<Long> jvm = jvm();
    if (jvm.isPresent()) {
      hold(jvm.get());
    }
    releaseEmpty();
  }

  @Override
  public void closing(NodeProcess n) throws IOException, InterruptedException {
    crash();
  }

  /** The mount namespace of the node's JVM now, e.g. {@code mnt:[4026532174]}. */
  String id() throws IOException {
    long pid = jvm().orElseThrow(() -> new IllegalStateException(node.address + " not running"));
    return namespaceOf(pid).orElseThrow(() -> new IllegalStateException(pid + " is gone"));
  }

  /** Runs {@code command} in the node's namespace to its end, at most {@code deadline}. */
  Result run(Duration deadline, String... command) throws IOException, InterruptedException {
    return NodeProcess.run(enter(command), Map.of(), deadline);
  }

  /**
   * Starts {@code command} in the node's namespace and leaves it running, for a client beside the
   * node; its stderr goes to its stdout, which the caller reads (or the child blocks once the pipe
   * is full). It dies with the node's other processes in {@link #crash()}.
   */
  Process spawn(String... command) throws IOException {
    return new ProcessBuilder(enter(command)).redirectErrorStream(true).start();
  }

  private List<String> enter(String... command) throws IOException {
    long pid = jvm().orElseThrow(() -> new IllegalStateException(node.address + " not running"));
    hold(pid); // a node started before it had this launcher is refused here
    List<String> c = new ArrayList<>(List.of("nsenter", "--target", Long.toString(pid)));
    // the JVM's network namespace too: the host's, or the lab's one when started inNetwork
    c.addAll(List.of("--mount", "--net", "--"));
    c.addAll(List.of(command));
    return c;
  }

  /** The live processes of this node: its JVM, Karaf's wrapper, scripts, spawned clients. */
  synchronized Set<Long> processes() throws IOException {
    Set<Long> pids = new TreeSet<>();
    if (held.isEmpty()) {
      return pids;
    }
    try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : proc) {
        long pid = Long.parseLong(p.getFileName().toString());
        // a zombie has left its namespaces: it has no ns link and nothing to kill
        if (namespaceOf(pid).filter(held::containsKey).isPresent()) {
          pids.add(pid);
        }
      }
    }
    return pids;
  }

  /**
   * kill -9 of every process of this node, as a power cut would: the JVM, its scripts and their
   * children, clients started with {@link #spawn}; nothing outside its namespaces. Returns once
   * they are all gone; their namespaces, and the mounts in them, die with them.
   */
  synchronized void crash() throws IOException, InterruptedException {
    Optional<Long> jvm = jvm();
    if (jvm.isPresent()) {
      long pid = jvm.get();
      hold(pid);
      // the JVM first, for Karaf's wrapper to reap it: a zombie left to PID 1 for a while would
      // make bin/bulwark believe the node still runs (kill -0) and not start it
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      Path proc = Path.of("/proc", Long.toString(pid));
      await(() -> !Files.exists(proc), KILL_DEADLINE, () -> "node JVM " + pid + " not reaped");
    }
    Set<Long> seen = new TreeSet<>();
    await(
        () -> {
          try {
            Set<Long> left = processes();
            seen.addAll(left);
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            return left.isEmpty();
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        },
        KILL_DEADLINE,
        () -> "processes of " + node.address + " outlived kill -9: " + seen);
    releaseEmpty();
  }

  /** Starts holding the namespace of {@code pid}, the node's JVM; refuses the host's. */
  private synchronized void hold(long pid) throws IOException {
    Optional<String> id = namespaceOf(pid);
    if (id.isEmpty() || held.containsKey(id.get())) {
      return;
    }
    if (id.equals(namespaceOf(ProcessHandle.current().pid()))) {
      throw new IllegalStateException(
          node.address + " runs in the host's mount namespace: started before its NodeNamespace");
    }
    FileChannel anchor = FileChannel.open(Path.of("/proc", Long.toString(pid), "ns", "mnt"));
    if (!id.equals(namespaceOf(pid))) { // the JVM died between the two looks: hold nothing
      anchor.close();
      return;
    }
    held.put(id.get(), anchor);
  }

  private synchronized void releaseEmpty() throws IOException {
    Set<String> busy = new TreeSet<>();
    for (long pid : processes()) {
      namespaceOf(pid).ifPresent(busy::add);
    }
    for (Iterator<Map.Entry<String, FileChannel>> i = held.entrySet().iterator(); i.hasNext(); ) {
      Map.Entry<String, FileChannel> e = i.next();
      if (!busy.contains(e.getKey())) {
        e.getValue().close();
        i.remove();
      }
    }
  }

  /** The node's JVM when it runs: the pid file's process, if it is this node's Karaf still. */
  private Optional<Long> jvm() throws IOException {
    if (!Files.exists(node.home.resolve("karaf.pid"))) {
      return Optional.empty();
    }
    long pid = node.pid();
    String home = "\0-Dkaraf.home=" + node.home.toRealPath() + "\0";
    try {
      String cmdline = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
      // a stale pid file may name a pid reused since by another process: never that one
      return NodeProcess.running(pid) && cmdline.contains(home)
          ? Optional.of(pid)
          : Optional.empty();
    } catch (IOException gone) {
      return Optional.empty();
    }
  }

  /** The mount namespace of a process, or empty when it is gone or a zombie. */
  static Optional<String> namespaceOf(long pid) {
    try {
      return Optional.of(
          Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "mnt")).toString());
    } catch (IOException gone) {
      return Optional.empty();
    }
  }

  /**
   * Polls {@code condition} every 20 ms until it holds; fails with {@code what} at the deadline.
   */
  static void await(BooleanSupplier condition, Duration deadline, Supplier<String> what)
      throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new IllegalStateException(what.get() + " (after " + deadline + ")");
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
