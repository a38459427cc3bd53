package org.bulwark.itests;

import static org.bulwark.itests.Concurrently.inParallel;
import static org.bulwark.itests.NodeProcess.ok;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bulwark.itests.NodeProcess.Result;
import org.junit.Test;

/**
 * The namespace lab on two real nodes: both replicate one absolute path, and each sees its own
 * private directory there, through its own mount namespace, across a kill -9 and a stop/start;
 * nothing of it shows on the host, and nothing is left once the lab is closed.
 */
public class MountNamespaceLabIT {
  private static final Duration STEP = Duration.ofSeconds(30);
  private static final long DISK_BYTES = 4L << 20;

  @Test
  public void eachNodeSeesItsOwnDirectoryAtTheSharedPath() throws Exception {
    ReplicatedPath lab = ReplicatedPath.create();
    Path shared = lab.shared;
    Set<Long> pids = new TreeSet<>(); // every process of the test, none may survive close()
    try (lab;
        NodeProcess n1 = NodeProcess.copy("127.0.0.81", 19081);
        NodeProcess n2 = NodeProcess.copy("127.0.0.82", 19082)) {
      NodeNamespace ns1 = lab.attach(n1); // a plain directory
      NodeNamespace ns2 = lab.attach(n2, DISK_BYTES); // a tmpfs, for the disk faults
      inParallel(() -> started(n1), () -> started(n2));
      pids.addAll(ns1.processes());
      pids.addAll(ns2.processes());

      String host = NodeNamespace.namespaceOf(ProcessHandle.current().pid()).orElseThrow();
      assertNotEquals(host, ns1.id());
      assertNotEquals(host, ns2.id());
      assertNotEquals(ns1.id(), ns2.id());
      assertNoMountAtSharedPath(lab);
      assertEquals(
          List.of(ns2.disk.dir.toString()),
          lab.hostMounts().stream().map(MountInfo::mountPoint).toList());

      // a file written at the shared path through node 1 is node 1's alone
      Path f = shared.resolve("f");
      ok(ns1.run(STEP, "sh", "-c", "echo one > " + f));
      assertEquals("one\n", Files.readString(ns1.disk.data.resolve("f")));
      assertFalse("the host sees node 1's file", Files.exists(f));
      assertEquals(1, ns2.run(STEP, "test", "-e", f.toString()).exitCode());
      ok(ns2.run(STEP, "sh", "-c", "echo two > " + f));
      assertEquals("one\n", ok(ns1.run(STEP, "cat", f.toString())).out());
      assertEquals("two\n", ok(ns2.run(STEP, "cat", f.toString())).out());
      assertNoMountAtSharedPath(lab);

      for (NodeProcess n : List.of(n1, n2)) {
        assertTrue(ok(n.safekit("level")).out().contains("Version: Bulwark"));
      }

      // clients beside each node see that node's view, and belong to it
      String reader =
          "while read f; do if [ -e \"$f\" ]; then cat \"$f\"; else echo none; fi; done";
      Process client1 = ns1.spawn("sh", "-c", reader);
      Process client2 = ns2.spawn("sh", "-c", reader);
      pids.addAll(List.of(client1.pid(), client2.pid()));
      assertEquals("one", ask(client1, f));
      assertEquals("two", ask(client2, f));
      assertTrue(ns1.processes().contains(client1.pid()));
      assertFalse(ns2.processes().contains(client1.pid()));

      // kill -9 of node 1: its JVM, Karaf's wrapper and its client die; node 2 and its client live
      Set<Long> node1 = ns1.processes();
      assertTrue(node1.toString(), node1.size() >= 3);
      ns1.crash();
      for (long pid : node1) {
        assertFalse(pid + " survived the crash of node 1", NodeProcess.running(pid));
      }
      assertTrue(client1.waitFor(STEP.toSeconds(), TimeUnit.SECONDS));
      assertTrue(ns1.processes().isEmpty());
      assertTrue(client2.isAlive());
      assertEquals("two", ask(client2, f));
      assertEquals(3, n1.safekit("level").exitCode());
      ok(n2.safekit("level"));

      // node 1 starts again after the kill -9 and node 2 after a stop: same private directories
      inParallel(
          () -> started(n1),
          () -> {
            ok(n2.stop());
            started(n2);
          });
      pids.addAll(ns1.processes());
      pids.addAll(ns2.processes());
      assertEquals("one\n", ok(ns1.run(STEP, "cat", f.toString())).out());
      assertEquals("two\n", ok(ns2.run(STEP, "cat", f.toString())).out());
      assertEquals("two", ask(client2, f)); // in node 2's old namespace: the same directory
      assertNoMountAtSharedPath(lab);

      diskFaults(ns1, ns2, shared.resolve("g"));
    }
    for (long pid : pids) {
      assertFalse(pid + " survived the lab", NodeProcess.running(pid));
    }
    assertEquals(List.of(), MountInfo.under(MountInfo.host(), lab.root));
    assertFalse(Files.exists(lab.root));
  }

  /** Node 2's tmpfs disk made full, then read-only, under its live namespace; node 1 has none. */
  private static void diskFaults(NodeNamespace plain, NodeNamespace ns2, Path g) throws Exception {
    assertThrows(IllegalStateException.class, plain.disk::fill);
    assertTrue(ns2.disk.fill() > DISK_BYTES / 2);
    Result full = append(ns2, g, "data");
    assertTrue(full.toString(), full.err().contains("No space left on device"));
    ns2.disk.unfill();
    ok(append(ns2, g, "data"));

    ns2.disk.readOnly(true);
    Result readOnly = append(ns2, g, "more");
    assertTrue(readOnly.toString(), readOnly.err().contains("Read-only file system"));
    ns2.disk.readOnly(false);
    ok(append(ns2, g, "more"));
    assertEquals("data\nmore\n", ok(ns2.run(STEP, "cat", g.toString())).out());
  }

  /** Appends a line to {@code file} in the node's namespace (tee, whose errors name errno). */
  private static Result append(NodeNamespace ns, Path file, String line) throws Exception {
    return ns.run(STEP, "sh", "-c", "echo " + line + " | tee -a " + file + " >/dev/null");
  }

  /** The host sees nothing mounted at the shared path, and nothing in it. */
  private static void assertNoMountAtSharedPath(ReplicatedPath lab) throws Exception {
    assertEquals(List.of(), MountInfo.under(MountInfo.host(), lab.shared));
    try (Stream<Path> files = Files.list(lab.shared)) {
      assertEquals(List.of(), files.toList());
    }
  }

  private static void started(NodeProcess n) throws Exception {
    Result r = n.start();
    assertEquals(r + n.karafLog(), 0, r.exitCode());
  }

  /** Sends a path to a reader client and returns the line it answers, within {@link #STEP}. */
  private static String ask(Process client, Path path) throws Exception {
    client.getOutputStream().write((path + "\n").getBytes(StandardCharsets.UTF_8));
    client.getOutputStream().flush();
    return CompletableFuture.supplyAsync(() -> readLine(client.getInputStream()))
        .get(STEP.toSeconds(), TimeUnit.SECONDS);
  }

  /** One line, read byte by byte: nothing of the next answer is taken in advance. */
  private static String readLine(InputStream in) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      for (int b = in.read(); b != '\n'; b = in.read()) {
        if (b < 0) {
          throw new EOFException("the client ended; it said: " + line);
        }
        line.write(b);
      }
    } catch (IOException e) {
      throw new CompletionException(e);
    }
    return line.toString(StandardCharsets.UTF_8);
  }
}
