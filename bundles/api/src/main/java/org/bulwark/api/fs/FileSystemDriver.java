package org.bulwark.api.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Mounts a pass-through file system over a directory (spec B.7: the replicated directory stays at
 * its usual path; the real files underneath stay reachable to the driver only).
 */
@ProviderType
public interface FileSystemDriver {

  /**
   * Mounts over {@code directory}. A dead mount left there by a killed node is detected and lazily
   * unmounted first. Fails if a live mount already covers the directory or if the directory is not
   * an existing directory.
   */
  Mount mount(Path directory, MountOptions options) throws IOException;

  /**
   * Removes dead FUSE mounts from {@code directory} (those whose daemon died, answering ENOTCONN)
   * with a lazy unmount. Returns the number removed; live mounts are left alone.
   */
  int cleanStaleMounts(Path directory) throws IOException;

  /** Whether a FUSE file system (live or dead) is mounted exactly at {@code directory}. */
  boolean isMounted(Path directory) throws IOException;

  /**
   * Processes that hold files or directories open, or have their working directory, at or beneath
   * {@code directory}, mounted or not (what {@code fuser -m} tells); this node's own process is
   * left out (its descriptors are the product's). Symbolic links in the path are resolved.
   */
  List<FileHolder> holders(Path directory) throws IOException;
}
