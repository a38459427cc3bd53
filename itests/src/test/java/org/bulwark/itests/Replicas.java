package org.bulwark.itests;

import static org.bulwark.itests.MirrorPair.MODULE;
import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.stream.LongStream;

/**
 * What {@link ReplicationIT} checks on the two copies of a {@link MirrorPair} run in a {@link
 * ReplicatedPath}, and how it reaches them: the private directories read from the host, beneath
 * every mount; the shared path read in a node's own namespace, through its mount.
 */
final class Replicas {
  static final Duration STEP = Duration.ofSeconds(60);

  /** How long a change acknowledged on receipt ({@code async="second"}) may take to be applied. */
  private static final Duration APPLIED = Duration.ofSeconds(10);

  private Replicas() {}

  /** The {@code <rfs>} of a module replicating {@code dir}. */
  static String rfs(Path dir, String async, String replicatedAttributes) {
    return "    <rfs async=\""
        + async
        + "\">\n      <replicated dir=\""
        + dir
        + "\""
        + replicatedAttributes
        + "/>\n    </rfs>\n";
  }

  /** What a test does with a {@link MirrorPair} in a {@link ReplicatedPath}. */
  interface Scenario {
    void run(MirrorPair pair, Path shared) throws Exception;
  }

  /**
   * Runs {@code scenario} on two nodes at these addresses and web ports, in a fresh lab, with a
   * mirror module whose {@code <service>} holds {@code rfs} of the shared path after its {@code
   * <heart>}; prints both nodes' logs when it fails. Both nodes and the lab are removed whatever
   * happened.
   */
  static void inLab(
      String addr1,
      int port1,
      String addr2,
      int port2,
      String heart,
      Function<Path, String> rfs,
      Scenario scenario)
      throws Exception {
    ReplicatedPath lab = ReplicatedPath.create();
    try (lab;
        MirrorPair pair =
            new MirrorPair(addr1, port1, addr2, port2, heart, lab, rfs.apply(lab.shared))) {
      try {
        scenario.run(pair, lab.shared);
      } catch (Exception | AssertionError e) {
        System.out.println(diagnostics(pair));
        throw e;
      }
    }
  }

  /** Both private directories are equal now. */
  static void assertSameTrees(MirrorPair pair, String when) throws IOException {
    String diff = TreeImage.of(pair.ns1.disk.data).diff(TreeImage.of(pair.ns2.disk.data));
    if (!diff.isEmpty()) {
      fail("node 1 (-) and node 2 (+) differ " + when + ":\n" + diff);
    }
  }

  /**
   * Both private directories become equal within {@link #APPLIED}: with {@code async="second"} the
   * secondary acknowledges a change on receipt and applies it just after (spec B.7).
   */
  static void awaitSameTrees(MirrorPair pair, String when) throws Exception {
    long end = System.nanoTime() + APPLIED.toNanos();
    String diff;
    do {
      diff = TreeImage.of(pair.ns1.disk.data).diff(TreeImage.of(pair.ns2.disk.data));
      if (diff.isEmpty()) {
        return;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < end);
    fail("node 1 (-) and node 2 (+) still differ " + APPLIED + " " + when + ":\n" + diff);
  }

  /**
   * {@code copy} holds whole records numbered from 1 without a gap, among them every record in
   * {@code acknowledged} (it may hold more: written, never acknowledged).
   */
  static void assertHolds(String copy, List<Long> acknowledged, String where) {
    List<Long> numbers = RecordWriter.numbers(copy);
    List<Long> expected = LongStream.rangeClosed(1, numbers.size()).boxed().toList();
    assertEquals(where + ": records out of order or missing", expected, numbers);
    long last = acknowledged.get(acknowledged.size() - 1);
    assertTrue(
        where + " lacks acknowledged records: " + numbers.size() + " held, " + last + " acked",
        numbers.size() >= last);
  }

  /** How many records a copy holds (checked whole and numbered from 1). */
  static long count(Path copy) throws IOException {
    return RecordWriter.numbers(Files.readString(copy)).size();
  }

  /** A FUSE file system is mounted at {@code shared} in the node's namespace. */
  static void assertFuseAt(NodeNamespace ns, Path shared) throws Exception {
    String mountinfo = ok(ns.run(STEP, "cat", "/proc/self/mountinfo")).out();
    boolean fuse =
        mountinfo
            .lines()
            .map(MountInfo::parse)
            .anyMatch(
                m -> m.mountPoint().equals(shared.toString()) && m.fsType().startsWith("fuse"));
    assertTrue("no FUSE mount at " + shared + ":\n" + mountinfo, fuse);
  }

  /**
   * The replica at {@code shared} is read through the node's mount as it is on its disk, and every
   * kind of change is refused with {@code EROFS} (spec B.7 {@code mode="read_only"}).
   */
  static void assertReadOnly(NodeNamespace ns, Path shared) throws Exception {
    assertFuseAt(ns, shared);
    Path f = shared.resolve("f");
    assertEquals(
        Files.readString(ns.disk.data.resolve("f")), ok(ns.run(STEP, "cat", f.toString())).out());
    for (String change :
        List.of(
            "echo x >> " + f,
            "touch " + shared.resolve("new"),
            "rm " + f,
            "mkdir " + shared.resolve("ro"))) {
      NodeProcess.Result r = ns.run(STEP, "sh", "-c", change);
      assertTrue(
          change + " on the SECOND: " + r,
          r.exitCode() != 0 && r.err().contains("Read-only file system"));
    }
  }

  static void assertLogged(NodeProcess n, String line) throws Exception {
    String log = moduleLog(n);
    assertTrue(n.address + " never logged \"" + line + "\":\n" + log, log.contains(line));
  }

  /**
   * Waits (with the deadline of a {@link #STEP}) until the module log of {@code n} holds {@code
   * line}: for a line that follows a state another node's heartbeat brings.
   */
  static void awaitLogged(NodeProcess n, String line) throws Exception {
    awaitLogged(n, line, 1);
  }

  /** Waits until the module log of {@code n} holds {@code line} at least {@code times} times. */
  static void awaitLogged(NodeProcess n, String line, int times) throws Exception {
    long end = System.nanoTime() + STEP.toNanos();
    String log = moduleLog(n);
    while (occurrences(log, line) < times) {
      assertTrue(
          n.address
              + " did not log \""
              + line
              + "\" "
              + times
              + " times within "
              + STEP
              + ":\n"
              + log,
          System.nanoTime() < end);
      Thread.sleep(100); // polling a condition with a deadline, not synchronising on time
      log = moduleLog(n);
    }
  }

  /** How many times the module log of {@code n} holds {@code line} now. */
  static int timesLogged(NodeProcess n, String line) throws Exception {
    return occurrences(moduleLog(n), line);
  }

  private static String moduleLog(NodeProcess n) throws Exception {
    return ok(n.safekit("log", "-m", MODULE, "-A")).out();
  }

  private static int occurrences(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }

  /** Both module logs and the end of both karaf.log, for a failure. */
  static String diagnostics(MirrorPair pair) {
    StringBuilder b = new StringBuilder(pair.logs());
    for (NodeProcess n : List.of(pair.n1, pair.n2)) {
      List<String> lines = n.karafLog().lines().toList();
      b.append("--- end of karaf.log of ").append(n.address).append('\n');
      lines
          .subList(Math.max(0, lines.size() - 200), lines.size())
          .forEach(l -> b.append(l).append('\n'));
    }
    return b.toString();
  }

  /**
   * A shell command that writes {@code text} at {@code offset} (a multiple of 4096) in one {@code
   * write(2)}, then fsyncs.
   */
  static String poke(Path file, long offset, String text) {
    return "printf "
        + text
        + " | dd of="
        + file
        + " bs=4096 seek="
        + offset / 4096
        + " conv=notrunc,fsync status=none";
  }

  /** {@code n} bytes of {@code file} at {@code offset}, read on the host. */
  static String peek(Path file, long offset, int n) {
    try (FileChannel f = FileChannel.open(file)) {
      ByteBuffer b = ByteBuffer.allocate(n);
      f.read(b, offset);
      return new String(b.array(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
