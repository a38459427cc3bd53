package org.bulwark.deployer.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.env.SafeDirectories;
import org.junit.Rule;
import org.junit.Test;

/** Hot deployment from SAFE/deploy (issue 4). */
public class DeployFolderTest {

  @Rule public final Fixture fx = new Fixture();

  @Test
  public void aStablePackageIsDeployedAndABadOneLeavesAnErrorFile() throws Exception {
    Path deploy = fx.dirs.safe().resolve("deploy");
    DeployFolder folder = new DeployFolder(deploy, fx.deployer);
    assertEquals("no folder, nothing to do", 0, folder.scan());
    Path good = fx.safe(deploy.resolve("web.safe"), "web", Fixture.FARM);
    Path bad =
        new ZipWriter()
            .file("x/conf/userconfig.xml", Fixture.FARM)
            .file("x/../../evil", "")
            .write(deploy.resolve("x.safe"));
    assertEquals("first sight: the copy may still be running", 0, folder.scan());
    assertEquals(2, folder.scan());
    assertFalse(Files.exists(good));
    assertTrue(Files.exists(deploy.resolve("web.safe.installed")));
    assertTrue(fx.bundles.present.containsKey("web"));
    assertTrue(Files.exists(bad));
    String error = Files.readString(deploy.resolve("x.safe.error"));
    assertTrue(error, error.startsWith("module x: refused: "));
    assertTrue(error, error.contains("entry 'x/../../evil' leaves the module"));
    assertEquals(
        "a failed package is not retried until it changes", 0, folder.scan() + folder.scan());
    // the administrator fixes it: a newer file is tried again, and the error goes
    fx.safe(bad, "x", Fixture.FARM);
    Files.setLastModifiedTime(
        bad,
        java.nio.file.attribute.FileTime.fromMillis(
            Files.getLastModifiedTime(deploy.resolve("x.safe.error")).toMillis() + 2000));
    folder.scan();
    assertEquals(1, folder.scan());
    assertFalse(Files.exists(deploy.resolve("x.safe.error")));
    assertTrue(fx.bundles.present.containsKey("x"));
  }

  @Test(timeout = 20_000)
  public void theWatcherThreadPicksUpADroppedPackage() throws Exception {
    NodeEnvironment node =
        new NodeEnvironment() {
          @Override
          public SafeDirectories directories() {
            return fx.dirs;
          }

          @Override
          public String version() {
            return "test";
          }

          @Override
          public String hostName() {
            return "localhost";
          }

          @Override
          public String bindAddress() {
            return "127.0.0.1";
          }
        };
    DeployFolderWatcher.Config config =
        new DeployFolderWatcher.Config() {
          @Override
          public Class<? extends Annotation> annotationType() {
            return DeployFolderWatcher.Config.class;
          }

          @Override
          public long pollMillis() {
            return 50;
          }
        };
    DeployFolderWatcher watcher = new DeployFolderWatcher(fx.deployer, node, config);
    try {
      Path deploy = fx.dirs.safe().resolve("deploy");
      Path staging =
          fx.safe(fx.tmp.getRoot().toPath().resolve("light.safe"), "light", Fixture.FARM);
      Files.createDirectories(deploy);
      Files.move(staging, deploy.resolve("light.safe"));
      await(() -> Files.exists(deploy.resolve("light.safe.installed")), 15_000);
      assertTrue(fx.bundles.present.containsKey("light"));
    } finally {
      watcher.deactivate();
    }
  }

  private static void await(BooleanSupplier condition, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    Object monitor = new Object();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + millis + " ms");
      }
      synchronized (monitor) {
        monitor.wait(10); // polls the file system; no event to wait on
      }
    }
  }
}
