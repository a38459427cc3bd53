package org.bulwark.api.fs;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** A mounted pass-through file system; unmount it to stop the interception. */
@ProviderType
public interface Mount extends AutoCloseable {

  /** The directory the file system is mounted over. */
  Path directory();

  MountOptions options();

  /** Whether the file system is still mounted and served. */
  boolean isActive();

  /** Processes that hold files, directories or a working directory inside the mount. */
  List<FileHolder> holders() throws IOException;

  /**
   * Unmounts as the module stop requires (spec A, stop with nicestoptimeout): a clean unmount if
   * nothing is open; otherwise the holders are reported, and the unmount is retried until they
   * close or {@code timeout} passes, after which it is forced (lazy unmount and the FUSE connection
   * aborted, so remaining holders get ENOTCONN). A copy of the mount left in another mount
   * namespace is cut at once (its processes reported). Idempotent.
   */
  UnmountReport unmount(Duration timeout) throws IOException;

  /** Unmounts with a zero timeout: forced at once if files are still open. */
  @Override
  void close() throws IOException;
}
