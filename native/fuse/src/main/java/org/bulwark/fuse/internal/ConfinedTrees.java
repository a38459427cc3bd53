package org.bulwark.fuse.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bulwark.api.fs.ErrnoException;
import org.bulwark.api.fs.LocalTree;
import org.bulwark.api.fs.LocalTrees;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LocalTrees} service: trees confined with {@code openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS)}. Also usable without OSGi: {@code new
 * ConfinedTrees()}. Trees still open when the bundle stops are closed.
 */
@Component(service = LocalTrees.class)
public final class ConfinedTrees implements LocalTrees {
  private static final Logger LOG = LoggerFactory.getLogger(ConfinedTrees.class);

  private final Set<ConfinedTree> open = ConcurrentHashMap.newKeySet();

  public ConfinedTrees() {}

  @Override
  public LocalTree open(Path directory) throws IOException {
    if (!TreeCalls.SUPPORTED) {
      throw new IOException(
          "LocalTree needs Linux on x86_64 or aarch64, not " + System.getProperty("os.arch"));
    }
    // The configured path is trusted: its links are followed (no normalize(), which would change
    // what "link/.." means). What lies beneath is not trusted: see ConfinedTree.
    Path dir = directory.toAbsolutePath();
    int fd =
        TreeCalls.open(
            TreePath.cString(dir.toString()),
            TreeCalls.O_PATH | TreeCalls.O_DIRECTORY | TreeCalls.O_CLOEXEC,
            0);
    if (fd < 0) {
      int errno = -TreeCalls.lastError();
      throw new ErrnoException(errno, "open " + dir + ": " + TreeCalls.describe(errno));
    }
    ConfinedTree tree = new ConfinedTree(dir, fd, open::remove);
    open.add(tree);
    LOG.debug("LocalTree opened on {}", dir);
    return tree;
  }

  /** Bundle stop: no descriptor outlives the bundle that opened it. */
  @Deactivate
  void deactivate() {
    for (ConfinedTree t : open) {
      try {
        t.close();
      } catch (IOException e) {
        LOG.warn("Cannot close LocalTree {}", t.directory(), e);
      }
    }
    open.clear();
  }
}
