package org.bulwark.fuse.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.stream.Stream;
import org.bulwark.api.fs.Mount;
import org.bulwark.api.fs.MountOptions;
import org.junit.rules.ExternalResource;

/**
 * Temporary directories and mounts for one test, all undone afterwards even when the test fails:
 * mounts first (forced), then extra clean-ups (tmpfs …), then the directories.
 */
final class TestDirs extends ExternalResource {
  static final Path BASE = Path.of("target", "fuse-tests").toAbsolutePath();

  final FuseFileSystemDriver driver = new FuseFileSystemDriver();
  private final Deque<Mount> mounts = new ArrayDeque<>();
  private final Deque<AutoCloseable> cleanups = new ArrayDeque<>();
  private final Deque<Path> dirs = new ArrayDeque<>();

  Path newDir(String name) throws IOException {
    Files.createDirectories(BASE);
    Path d = Files.createTempDirectory(BASE, name + "-");
    dirs.push(d);
    return d;
  }

  Mount mount(Path dir, MountOptions options) throws IOException {
    Mount m = driver.mount(dir, options);
    mounts.push(m);
    return m;
  }

  void onCleanup(AutoCloseable action) {
    cleanups.push(action);
  }

  @Override
  protected void after() {
    while (!mounts.isEmpty()) {
      try {
        mounts.pop().unmount(Duration.ofSeconds(2));
      } catch (IOException e) {
        e.printStackTrace();
      }
    }
    while (!cleanups.isEmpty()) {
      try {
        cleanups.pop().close();
      } catch (Exception e) {
        e.printStackTrace();
      }
    }
    while (!dirs.isEmpty()) {
      delete(dirs.pop());
    }
  }

  /** Deletes everything below {@code root}, keeping {@code root}; fifos and symlinks included. */
  static void deleteContents(Path root) {
    String[] names = root.toFile().list();
    if (names != null) {
      for (String name : names) {
        delete(root.resolve(name));
      }
    }
  }

  static void delete(Path root) {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  System.err.println("cannot delete " + p + ": " + e);
                }
              });
    } catch (IOException e) {
      System.err.println("cannot walk " + root + ": " + e);
    }
  }
}
