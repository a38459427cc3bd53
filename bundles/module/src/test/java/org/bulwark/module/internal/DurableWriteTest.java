package org.bulwark.module.internal;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bulwark.api.fs.FileInterceptor;
import org.bulwark.api.fs.FileOperation;
import org.bulwark.api.fs.Mount;
import org.bulwark.api.fs.MountOptions;
import org.bulwark.automaton.DataFreshness;
import org.bulwark.fuse.internal.FuseFileSystemDriver;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The data-freshness file survives a power cut (issue 13 item 4): its write is seen system call by
 * system call through a real FUSE mount over the module's variable directory. What a power cut
 * keeps is what was fsync'd: the new content must be synced before the rename (or a crash could
 * leave an empty file under the final name) and the directory after it (or the rename itself could
 * be lost, bringing back an older "clean stop, up to date" record).
 */
public class DurableWriteTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private final List<String> calls = new ArrayList<>();
  private Mount mount;
  private Path dir;

  @Before
  public void mount() throws Exception {
    dir = tmp.newFolder("uservar").toPath();
    FileInterceptor recorder =
        new FileInterceptor() {
          @Override
          public void before(FileOperation op) {}

          @Override
          public void after(FileOperation op, int errno) {
            if (errno == 0) {
              synchronized (calls) {
                calls.add(describe(op));
              }
            }
          }
        };
    mount =
        new FuseFileSystemDriver()
            .mount(dir, MountOptions.defaults().withInterceptor(recorder).withThreads(1));
  }

  @After
  public void unmount() throws Exception {
    if (mount != null) {
      mount.unmount(Duration.ofSeconds(5));
    }
  }

  /** One word per call: the kind, and the file it touched with temporary names made stable. */
  private static String describe(FileOperation op) {
    String path = stable(op.path());
    if (op instanceof FileOperation.Rename r) {
      return "rename " + path + " " + stable(r.target());
    }
    if (op instanceof FileOperation.Sync) {
      return "sync " + path;
    }
    if (op instanceof FileOperation.Write) {
      return "write " + path;
    }
    if (op instanceof FileOperation.Create) {
      return "create " + path;
    }
    return op.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + path;
  }

  private static String stable(String path) {
    return path != null && path.contains(".tmp") ? "TEMP" : path;
  }

  @Test
  public void theFreshnessRenameIsFollowedByAnFsyncOfItsDirectory() throws Exception {
    Path file = dir.resolve("freshness.properties");
    FreshnessStore store = new FreshnessStore(file);
    store.save(new DataFreshness(true, 7, true, true, 1_000, 7), false);

    List<String> seen;
    synchronized (calls) {
      seen = List.copyOf(calls);
    }
    List<String> expected =
        List.of(
            "create TEMP", // a temporary file beside the target (same directory, same disk)
            "write TEMP",
            "sync TEMP", // its content is on disk before it gets the final name
            "rename TEMP /freshness.properties",
            "sync /"); // and the rename is on disk before save() returns
    assertEquals(expected, withoutNoise(seen));
    assertEquals(new DataFreshness(true, 7, true, true, 1_000, 7), new FreshnessStore(file).load());
    try (var left = Files.list(dir)) {
      assertEquals(List.of(file), left.toList()); // no temporary file left behind
    }
  }

  /** Attribute changes and truncations around the write do not matter to the order. */
  private static List<String> withoutNoise(List<String> seen) {
    return seen.stream()
        .filter(
            s ->
                s.startsWith("create ")
                    || s.startsWith("write ")
                    || s.startsWith("sync ")
                    || s.startsWith("rename "))
        .toList();
  }
}
