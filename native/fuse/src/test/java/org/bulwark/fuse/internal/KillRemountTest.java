package org.bulwark.fuse.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bulwark.api.fs.Mount;
import org.bulwark.api.fs.MountOptions;
import org.junit.Rule;
import org.junit.Test;

/**
 * A node killed with {@code kill -9} leaves a dead mount; the next start cleans it and mounts again
 * in the same place (issue 6 §4).
 */
public class KillRemountTest {
  @Rule public final TestDirs dirs = new TestDirs();

  @Test
  public void aMountLeftByAKilledProcessIsCleanedAndRemounted() throws Exception {
    Path dir = dirs.newDir("killed");
    Files.writeString(dir.resolve("before"), "underneath");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process child =
        new ProcessBuilder(java, "-Xmx64m", "-cp", cp, MountMain.class.getName(), dir.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    // Clean-ups run last-registered first: kill the child, then remove the mount it leaves.
    dirs.onCleanup(() -> dirs.driver.cleanStaleMounts(dir));
    dirs.onCleanup(() -> child.destroyForcibly().waitFor(10, TimeUnit.SECONDS));
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
    assertEquals("MOUNTED " + dir, out.readLine());

    Files.writeString(dir.resolve("written-by-child-mount"), "kept");
    assertTrue(dirs.driver.isMounted(dir));
    child.destroyForcibly();
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));

    assertTrue("the dead mount is still there", dirs.driver.isMounted(dir));
    assertEquals(null, Sys.lstat(dir.toString()));
    assertEquals(Sys.ENOTCONN, Sys.errno());

    Mount again = dirs.mount(dir, MountOptions.defaults());
    assertEquals("underneath", Files.readString(dir.resolve("before")));
    assertEquals("kept", Files.readString(dir.resolve("written-by-child-mount")));
    try (Stream<Path> listing = Files.list(dir)) {
      assertEquals(
          List.of("before", "written-by-child-mount"),
          listing.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertFalse(again.unmount(Duration.ofSeconds(5)).forced());
    assertFalse(dirs.driver.isMounted(dir));
  }
}
