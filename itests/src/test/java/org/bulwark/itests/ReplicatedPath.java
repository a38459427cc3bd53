package org.bulwark.itests;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The namespace lab: one path that every node replicates, as in production ({@code /var/lib/app} on
 * each machine), made real for several nodes on one machine. The shared path exists on the host and
 * stays empty there; each node attached sees its own private directory at it, bound in a mount
 * namespace of its own (see {@link NodeNamespace}). Layout, under a fresh directory of {@link
 * #LAB}:
 *
 * <pre>
 *   data/           the shared path
 *   n1/             node 1's disk: a plain directory, or a tmpfs of fixed size ({@link PrivateDisk})
 *   n1/data/        node 1's private directory, at the shared path in node 1's namespaces
 *   n1/filler       what makes node 1's disk full
 * </pre>
 *
 * {@link #close()} kills every process of every node attached, unmounts the tmpfs it mounted and
 * deletes what it created, whatever happened in the test; it refuses to delete beneath a mount.
 */
final class ReplicatedPath implements AutoCloseable {
  /** The lab's own directory: no system path, kept when it was there before. */
  static final Path LAB = Path.of("/var/tmp/bulwark-it");

  final Path root;
  final Path shared;
  private final long tmpfsBytes;
  private final boolean createdLab;

  /** Guarded by this. */
  private final List<NodeNamespace> nodes = new ArrayList<>();

  private ReplicatedPath(Path root, long tmpfsBytes, boolean createdLab) {
    this.root = root;
    this.shared = root.resolve("data");
    this.tmpfsBytes = tmpfsBytes;
    this.createdLab = createdLab;
  }

  /** A lab whose nodes' disks are plain directories. */
  static ReplicatedPath create() throws IOException {
    return create(0);
  }

  /** A lab whose nodes' disks are each a tmpfs of {@code tmpfsBytes} (0: plain directories). */
  static ReplicatedPath create(long tmpfsBytes) throws IOException {
    boolean createdLab;
    try {
      Files.createDirectory(LAB);
      createdLab = true;
    } catch (FileAlreadyExistsException e) {
      createdLab = false;
    }
    ReplicatedPath lab =
        new ReplicatedPath(Files.createTempDirectory(LAB, "lab"), tmpfsBytes, createdLab);
    try {
      Files.createDirectory(lab.shared);
      return lab;
    } catch (IOException | RuntimeException e) {
      FileTrees.delete(lab.root);
      throw e;
    }
  }

  /**
   * A lab in a new directory of {@code parent} (which stays), disks plain directories: the network
   * lab keeps everything of one run in a directory of its own.
   */
  static ReplicatedPath createIn(Path parent) throws IOException {
    ReplicatedPath lab = new ReplicatedPath(Files.createTempDirectory(parent, "lab"), 0, false);
    try {
      Files.createDirectory(lab.shared);
      return lab;
    } catch (IOException | RuntimeException e) {
      FileTrees.delete(lab.root);
      throw e;
    }
  }

  /**
   * Gives a node that is not running yet its disk, with the lab's default disk; from its next start
   * on, it runs in its own namespace with its private directory at {@link #shared}.
   */
  NodeNamespace attach(NodeProcess node) throws IOException, InterruptedException {
    return attach(node, tmpfsBytes);
  }

  /** {@link #attach(NodeProcess)} with this node's disk a tmpfs of {@code tmpfsBytes} (or 0). */
  synchronized NodeNamespace attach(NodeProcess node, long tmpfsBytes)
      throws IOException, InterruptedException {
    if (Files.exists(node.home.resolve("karaf.pid")) && NodeProcess.running(node.pid())) {
      throw new IllegalStateException(node.address + " runs already, in the host's namespace");
    }
    PrivateDisk disk = PrivateDisk.create(root.resolve("n" + (nodes.size() + 1)), tmpfsBytes);
    NodeNamespace ns = new NodeNamespace(node, disk, shared);
    nodes.add(ns);
    return ns;
  }

  synchronized List<NodeNamespace> nodes() {
    return List.copyOf(nodes);
  }

  /** The host's mounts at the lab's directory or beneath it: the tmpfs disks, nothing else. */
  List<MountInfo> hostMounts() throws IOException {
    return MountInfo.under(MountInfo.host(), root);
  }

  @Override
  public synchronized void close() throws Exception {
    List<Exception> failures = new ArrayList<>();
    for (NodeNamespace ns : nodes) {
      try {
        ns.crash();
      } catch (Exception e) {
        failures.add(e);
      }
    }
    for (NodeNamespace ns : nodes) {
      try {
        ns.disk.close();
      } catch (Exception e) {
        failures.add(e);
      }
    }
    try {
      List<MountInfo> left = hostMounts();
      if (!left.isEmpty()) {
        throw new IllegalStateException(root + " not deleted: still mounted beneath it " + left);
      }
      FileTrees.delete(root);
      if (createdLab) {
        deleteIfEmpty(LAB);
      }
    } catch (Exception e) {
      failures.add(e);
    }
    if (!failures.isEmpty()) {
      Exception first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  private static void deleteIfEmpty(Path dir) throws IOException {
    try {
      Files.deleteIfExists(dir);
    } catch (DirectoryNotEmptyException othersStillThere) {
      // another lab runs in it: the last one deletes it
    }
  }
}
