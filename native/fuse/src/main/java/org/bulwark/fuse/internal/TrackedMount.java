package org.bulwark.fuse.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.bulwark.api.fs.FileHolder;
import org.bulwark.api.fs.Mount;
import org.bulwark.api.fs.MountOptions;
import org.bulwark.api.fs.UnmountReport;

/** A mount as the driver hands it out: unmounting also forgets it. */
final class TrackedMount implements Mount {
  private final FuseMount mount;
  private final Set<FuseMount> registry;

  TrackedMount(FuseMount mount, Set<FuseMount> registry) {
    this.mount = mount;
    this.registry = registry;
  }

  @Override
  public Path directory() {
    return mount.directory();
  }

  @Override
  public MountOptions options() {
    return mount.options();
  }

  @Override
  public boolean isActive() {
    return mount.isActive();
  }

  @Override
  public List<FileHolder> holders() throws IOException {
    return mount.holders();
  }

  @Override
  public UnmountReport unmount(Duration timeout) throws IOException {
    UnmountReport r = mount.unmount(timeout);
    registry.remove(mount);
    return r;
  }

  @Override
  public void close() throws IOException {
    unmount(Duration.ZERO);
  }

  @Override
  public String toString() {
    return "FUSE mount over " + directory();
  }
}
