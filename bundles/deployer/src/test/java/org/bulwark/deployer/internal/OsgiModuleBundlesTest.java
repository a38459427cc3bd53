package org.bulwark.deployer.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.framework.Felix;
import org.bulwark.api.deploy.ModuleHeaders;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/**
 * The generated module bundles in a real framework (Felix, as in Karaf): installed and started,
 * updated with a higher version under the same bundle id, uninstalled. What the module runtime sees
 * is what a bundle listener sees here.
 */
public class OsgiModuleBundlesTest {

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  private Felix felix;

  @Before
  public void startFramework() throws Exception {
    felix =
        new Felix(
            Map.of(
                Constants.FRAMEWORK_STORAGE,
                tmp.newFolder("cache").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN,
                Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
    felix.start();
  }

  @After
  public void stopFramework() throws Exception {
    felix.stop();
    felix.waitForStop(10_000);
  }

  @Test
  public void installUpdateUninstall() throws Exception {
    // an asynchronous listener: Felix delivers on its own thread, so the list is shared and the
    // last event (UNINSTALLED) may arrive after undeploy returned
    List<String> events = new CopyOnWriteArrayList<>();
    felix
        .getBundleContext()
        .addBundleListener(e -> events.add(e.getType() + " " + e.getBundle().getSymbolicName()));
    OsgiModuleBundles bundles = new OsgiModuleBundles(felix.getBundleContext());
    Path home = tmp.newFolder("safe", "modules", "web").toPath();
    Path config = tmp.newFolder("safe", "private", "modules", "web").toPath();
    Files.createDirectories(config.resolve("conf"));
    Files.writeString(config.resolve("conf/userconfig.xml"), Fixture.FARM);

    bundles.deploy(new ModuleBundle("web", 3, home, config, "aaaa"));
    Bundle bundle = felix.getBundleContext().getBundle(ModuleHeaders.location("web"));
    assertNotNull(bundle);
    assertEquals(Bundle.ACTIVE, bundle.getState());
    assertEquals("bulwark.module.web", bundle.getSymbolicName());
    assertEquals(new Version(1, 0, 1), bundle.getVersion());
    assertEquals("web", bundle.getHeaders().get(ModuleHeaders.MODULE));
    assertEquals("3", bundle.getHeaders().get(ModuleHeaders.MODULE_ID));
    assertEquals(home.toString(), bundle.getHeaders().get(ModuleHeaders.MODULE_HOME));
    assertEquals(config.toString(), bundle.getHeaders().get(ModuleHeaders.MODULE_CONFIG));
    assertNotNull(bundle.getEntry(ModuleBundleJar.USERCONFIG_RESOURCE));
    assertEquals(Map.of("web", "aaaa"), bundles.deployed());

    long id = bundle.getBundleId();
    bundles.deploy(new ModuleBundle("web", 3, home, config, "bbbb"));
    assertEquals(id, bundle.getBundleId());
    assertEquals(new Version(1, 0, 2), bundle.getVersion());
    assertEquals(Bundle.ACTIVE, bundle.getState());
    assertEquals("bbbb", bundle.getHeaders().get(ModuleHeaders.MODULE_SIGNATURE));

    bundles.undeploy("web");
    assertNull(felix.getBundleContext().getBundle(ModuleHeaders.location("web")));
    assertEquals(Map.of(), bundles.deployed());
    bundles.undeploy("web"); // nothing to do, no error
    String name = " bulwark.module.web";
    List<String> expected =
        List.of(
            BundleEvent.INSTALLED + name,
            BundleEvent.RESOLVED + name,
            BundleEvent.STARTED + name,
            BundleEvent.STOPPED + name,
            BundleEvent.UNRESOLVED + name,
            BundleEvent.UPDATED + name,
            BundleEvent.RESOLVED + name,
            BundleEvent.STARTED + name,
            BundleEvent.STOPPED + name,
            BundleEvent.UNRESOLVED + name,
            BundleEvent.UNINSTALLED + name);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (events.size() < expected.size() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(expected, events);
  }
}
