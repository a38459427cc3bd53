package org.bulwark.deployer.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.jar.Attributes;
import java.util.jar.JarInputStream;
import org.bulwark.api.deploy.DeployException;
import org.bulwark.api.deploy.InstalledModule;
import org.bulwark.api.deploy.ModuleHeaders;
import org.junit.Rule;
import org.junit.Test;

/** config / deconfig, the module bundle, the deploy() upgrade path (spec F.5, B.0, B.21). */
public class ConfigTest {

  @Rule public final Fixture fx = new Fixture();

  @Test
  public void configCopiesConfAndBinAndInstallsThenUpdatesTheBundle() throws Exception {
    fx.deployer.install("m", Optional.of(fx.safe("m", Fixture.MIRROR)), OptionalInt.empty(), false);
    InstalledModule m = fx.deployer.config("m");
    Path applied = fx.dirs.userConf("m").getParent();
    assertEquals(Optional.of(applied), m.configured());
    assertEquals(Fixture.MIRROR, Files.readString(applied.resolve("conf/userconfig.xml")));
    assertTrue(Files.isExecutable(applied.resolve("bin/start_both")));
    String safeconf = Files.readString(applied.resolve("conf/safeconf.xml"));
    assertTrue(safeconf, safeconf.contains("<replicated dir=\"/var/lib/app\"/>"));
    ModuleBundle bundle = fx.bundles.present.get("m");
    assertEquals(
        new ModuleBundle("m", 1, fx.dirs.modules().resolve("m"), applied, m.signature().get()),
        bundle);

    Files.writeString(fx.dirs.modules().resolve("m/bin/start_prim"), "#!/bin/sh\n");
    InstalledModule again = fx.deployer.config("m");
    assertNotEquals("a new script changes the signature", m.signature(), again.signature());
    assertEquals(List.of("install m", "update m"), fx.bundles.calls);
    assertTrue(Files.exists(applied.resolve("bin/start_prim")));
    assertEquals(
        "no staging folder left", List.of("m"), Fixture.tree(applied.getParent()).subList(1, 2));
    assertEquals(
        1, Fixture.tree(applied.getParent()).stream().filter(p -> !p.contains("/")).count() - 1);
  }

  /** spec C.4 case 4: config and deconfig force the full policy, same directories or not. */
  @Test
  public void configAndDeconfigOfAMirrorForceTheNextReintegrationFull() throws Exception {
    fx.deployer.install("m", Optional.of(fx.safe("m", Fixture.MIRROR)), OptionalInt.empty(), false);
    Path marker = fx.dirs.userVar("m").resolve(Configurer.RFS_CONFIGURED);
    fx.deployer.config("m");
    assertTrue("config leaves the mark", Files.exists(marker));
    Files.delete(marker); // the replication read it
    fx.deployer.config("m");
    assertTrue("the same configuration again: full again", Files.exists(marker));
    Files.delete(marker);
    fx.deployer.deconfig("m");
    assertTrue("deconfig too", Files.exists(marker));

    fx.deployer.install("f", Optional.of(fx.safe("f", Fixture.FARM)), OptionalInt.empty(), false);
    fx.deployer.config("f");
    assertFalse(
        "a farm replicates nothing",
        Files.exists(fx.dirs.userVar("f").resolve(Configurer.RFS_CONFIGURED)));
  }

  @Test
  public void lastThreeConfigurationsAreKept() throws Exception {
    fx.deployer.install("m", Optional.of(fx.safe("m", Fixture.FARM)), OptionalInt.empty(), false);
    for (int i = 0; i < 5; i++) {
      fx.now = fx.now.plusSeconds(61);
      fx.deployer.config("m");
    }
    assertEquals(
        List.of("m_20261122_030303.safe", "m_20261122_030404.safe", "m_20261122_030505.safe"),
        Fixture.tree(fx.dirs.modules().resolve("lastconfig")).subList(1, 4));
    assertEquals(
        "lastconfig is not a module",
        List.of("m"),
        fx.deployer.list().stream().map(InstalledModule::name).toList());
  }

  @Test
  public void aBundleFailureLeavesThePreviousConfiguration() throws Exception {
    fx.deployer.install("m", Optional.of(fx.safe("m", Fixture.FARM)), OptionalInt.empty(), false);
    fx.deployer.config("m");
    Path applied = fx.dirs.userConf("m").getParent();
    List<String> before = Fixture.tree(applied);
    Files.writeString(fx.dirs.modules().resolve("m/bin/start_prim"), "#!/bin/sh\n");
    fx.bundles.fail = true;
    try {
      fx.deployer.config("m");
      fail();
    } catch (DeployException e) {
      assertEquals("module m: config failed: framework refused the bundle", e.getMessage());
    }
    assertEquals(before, Fixture.tree(applied));
    assertEquals(
        List.of("m"),
        Fixture.tree(applied.getParent())
            .subList(1, Fixture.tree(applied.getParent()).size())
            .stream()
            .filter(p -> !p.contains("/"))
            .toList());
  }

  @Test
  public void configChecksAgainstTheAppliedCluster() throws Exception {
    Files.createDirectories(fx.dirs.cluster());
    Files.writeString(
        fx.dirs.cluster().resolve("cluster.xml"),
        "<cluster><lans><lan name=\"lan1\"><node name=\"n1\" addr=\"127.0.0.1\"/><node name=\"n2\" addr=\"127.0.0.2\"/></lan></lans></cluster>\n");
    fx.deployer.install("m", Optional.of(fx.safe("m", Fixture.FARM)), OptionalInt.empty(), false);
    try {
      fx.deployer.config("m");
      fail();
    } catch (DeployException e) {
      assertTrue(
          e.getMessage(),
          e.getMessage().startsWith(fx.dirs.modules().resolve("m/conf/userconfig.xml") + ":4:"));
      assertTrue(e.getMessage(), e.getMessage().endsWith("1 error: configuration not valid"));
    }
    assertFalse(Files.exists(fx.dirs.userConf("m")));
    assertTrue(fx.bundles.calls.isEmpty());
  }

  @Test
  public void deconfigRemovesTheBundleAndTheAppliedCopyOnly() throws Exception {
    fx.deployer.install("m", Optional.of(fx.safe("m", Fixture.FARM)), OptionalInt.empty(), false);
    fx.deployer.config("m");
    fx.deployer.deconfig("m");
    assertFalse(Files.exists(fx.dirs.userConf("m").getParent()));
    assertTrue(Files.exists(fx.dirs.modules().resolve("m/conf/userconfig.xml")));
    assertEquals(List.of("install m", "uninstall m"), fx.bundles.calls);
    assertFalse(fx.deployer.list().get(0).isConfigured());
    try {
      fx.deployer.config("nope");
      fail();
    } catch (DeployException e) {
      assertTrue(e.getMessage(), e.getMessage().startsWith("module nope is not installed"));
    }
  }

  @Test
  public void deployInstallsAndConfiguresAndAFailedUpgradeKeepsTheOldVersion() throws Exception {
    Path v1 = fx.safe(fx.tmp.getRoot().toPath().resolve("drop/web.safe"), "web", Fixture.FARM);
    InstalledModule web = fx.deployer.deploy(v1);
    assertTrue(web.isConfigured());
    String signature = fx.bundles.present.get("web").signature();
    List<String> home = Fixture.tree(fx.dirs.modules().resolve("web"));
    // v2 is a valid file that the applied cluster refuses: checked before anything changes
    Files.createDirectories(fx.dirs.cluster());
    Files.writeString(
        fx.dirs.cluster().resolve("cluster.xml"),
        "<cluster><lans><lan name=\"default\"><node name=\"n1\" addr=\"127.0.0.1\"/><node name=\"n2\" addr=\"127.0.0.2\"/></lan></lans></cluster>\n");
    String v2 = Fixture.FARM.replace("name=\"default\"", "name=\"other\"");
    Path bad = new ZipWriter().file("web/conf/userconfig.xml", v2).write(v1);
    try {
      fx.deployer.deploy(bad);
      fail();
    } catch (DeployException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("web.safe!/conf/userconfig.xml:4:"));
    }
    assertEquals(home, Fixture.tree(fx.dirs.modules().resolve("web")));
    assertEquals(
        Fixture.FARM, Files.readString(fx.dirs.modules().resolve("web/conf/userconfig.xml")));
    assertEquals(signature, fx.bundles.present.get("web").signature());
    // the framework refuses the update: the previous files come back too
    fx.bundles.fail = true;
    Path v3 =
        new ZipWriter()
            .file(
                "web/conf/userconfig.xml",
                Fixture.FARM.replace("<user/>", "<user nicestoptimeout=\"10\"/>"))
            .write(v1);
    try {
      fx.deployer.deploy(v3);
      fail();
    } catch (DeployException e) {
      assertEquals("module web: config failed: framework refused the bundle", e.getMessage());
    }
    assertEquals(home, Fixture.tree(fx.dirs.modules().resolve("web")));
    assertEquals(Fixture.FARM, Files.readString(fx.dirs.userConf("web").resolve("userconfig.xml")));
    assertEquals(
        List.of("web"),
        fx.modulesTree().stream()
            .filter(p -> !p.contains("/") && !p.equals("lastconfig"))
            .toList());
  }

  @Test
  public void reconcileRedeploysMissingBundlesAndRemovesStrayOnes() throws Exception {
    fx.deployer.install("m", Optional.of(fx.safe("m", Fixture.FARM)), OptionalInt.empty(), false);
    fx.deployer.config("m");
    fx.bundles.present.clear();
    fx.bundles.present.put("gone", new ModuleBundle("gone", 5, Path.of("/x"), Path.of("/y"), "s"));
    fx.deployer.reconcile();
    assertEquals(List.of("m"), List.copyOf(fx.bundles.present.keySet()));
  }

  @Test
  public void theModuleBundleCarriesTheHeaders() throws Exception {
    fx.deployer.install("m", Optional.of(fx.safe("m", Fixture.FARM)), OptionalInt.of(4), false);
    fx.deployer.config("m");
    ModuleBundle bundle = fx.bundles.present.get("m");
    byte[] jar = ModuleBundleJar.build(bundle, 3);
    try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
      Attributes main = in.getManifest().getMainAttributes();
      assertEquals("2", main.getValue("Bundle-ManifestVersion"));
      assertEquals("bulwark.module.m", main.getValue("Bundle-SymbolicName"));
      assertEquals("1.0.3", main.getValue("Bundle-Version"));
      assertEquals("m", main.getValue(ModuleHeaders.MODULE));
      assertEquals("4", main.getValue(ModuleHeaders.MODULE_ID));
      assertEquals(
          fx.dirs.modules().resolve("m").toString(), main.getValue(ModuleHeaders.MODULE_HOME));
      assertEquals(
          fx.dirs.userConf("m").getParent().toString(), main.getValue(ModuleHeaders.MODULE_CONFIG));
      assertEquals(bundle.signature(), main.getValue(ModuleHeaders.MODULE_SIGNATURE));
      assertEquals(64, bundle.signature().length());
      assertEquals(ModuleBundleJar.USERCONFIG_RESOURCE, in.getNextJarEntry().getName());
      assertEquals(
          Fixture.FARM, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
    assertEquals("bulwark:module:m", ModuleHeaders.location("m"));
  }
}
