package org.bulwark.fuse.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bulwark.api.fs.FileHolder;
import org.bulwark.api.fs.FileSystemDriver;
import org.bulwark.api.fs.Mount;
import org.bulwark.api.fs.MountOptions;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link FileSystemDriver} service over libfuse3. Also usable without OSGi: {@code new
 * FuseFileSystemDriver()}.
 */
@Component(service = FileSystemDriver.class)
public final class FuseFileSystemDriver implements FileSystemDriver {
  private static final Logger LOG = LoggerFactory.getLogger(FuseFileSystemDriver.class);
  private static final Duration DEACTIVATE_TIMEOUT = Duration.ofSeconds(5);

  /** Live mounts: also what keeps their callback tables reachable. */
  private final Set<FuseMount> mounts = ConcurrentHashMap.newKeySet();

  @Override
  public Mount mount(Path directory, MountOptions options) throws IOException {
    Path dir = canonical(directory);
    MountTable.cleanStale(dir);
    if (MountTable.fuseOnTop(dir)) {
      throw new IOException(dir + " is already covered by a live FUSE mount");
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    FuseMount mount = FuseMount.start(dir, options);
    mounts.add(mount);
    return new TrackedMount(mount, mounts);
  }

  @Override
  public int cleanStaleMounts(Path directory) throws IOException {
    return MountTable.cleanStale(canonical(directory));
  }

  @Override
  public boolean isMounted(Path directory) throws IOException {
    return MountTable.fuseOnTop(canonical(directory));
  }

  @Override
  public List<FileHolder> holders(Path directory) throws IOException {
    Path dir;
    try {
      dir = directory.toRealPath(); // /proc names the files by their resolved paths
    } catch (IOException e) {
      dir = canonical(directory); // a dead mount: its parent resolved
    }
    return Holders.under(dir);
  }

  /**
   * The path as /proc/self/mountinfo spells it: symbolic links resolved in the parent (the
   * directory itself may be a dead mount that cannot be resolved).
   */
  static Path canonical(Path directory) throws IOException {
    Path abs = directory.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    return parent == null ? abs : parent.toRealPath().resolve(abs.getFileName());
  }

  /** Bundle stop: nothing stays mounted behind a stopped driver. */
  @Deactivate
  void deactivate() {
    for (FuseMount m : mounts) {
      try {
        m.unmount(DEACTIVATE_TIMEOUT);
      } catch (IOException e) {
        LOG.error("Cannot unmount {} at deactivation", m.directory(), e);
      }
    }
    mounts.clear();
  }
}
