package org.bulwark.deployer.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.bulwark.api.deploy.DeployException;
import org.bulwark.api.deploy.InstalledModule;
import org.junit.Rule;
import org.junit.Test;

/** module install / uninstall / list / listid / package and module ids (spec F.5, G.9). */
public class InstallTest {

  @Rule public final Fixture fx = new Fixture();

  @Test
  public void installFindsTheTemplateUnderApplicationModules() throws Exception {
    fx.safe(
        fx.dirs.applicationModules().resolve("generic").resolve("farm.safe"), "farm", Fixture.FARM);
    InstalledModule farm =
        fx.deployer.install("farm", Optional.empty(), OptionalInt.empty(), false);
    assertEquals(1, farm.id());
    assertFalse(farm.isConfigured());
    Path home = fx.dirs.modules().resolve("farm");
    assertEquals(Fixture.FARM, Files.readString(home.resolve("conf/userconfig.xml")));
    assertTrue("scripts are executable", Files.isExecutable(home.resolve("bin/start_both")));
    assertTrue("bin/ scripts are executable", Files.isExecutable(home.resolve("bin/stop_both")));
    assertTrue("a bundle comes with config, not install", fx.bundles.calls.isEmpty());
  }

  @Test
  public void bothLayoutsInstall() throws Exception {
    Path root =
        new ZipWriter()
            .file("conf/userconfig.xml", Fixture.FARM)
            .executable("bin/start_both", "#!/bin/sh\n")
            .write(fx.tmp.getRoot().toPath().resolve("root.safe"));
    fx.deployer.install("web", Optional.of(root), OptionalInt.empty(), false);
    assertEquals(
        List.of("", "bin", "bin/start_both", "conf", "conf/userconfig.xml"),
        Fixture.tree(fx.dirs.modules().resolve("web")));
    // a top folder with another name than the module is stripped too
    Path other = fx.safe(fx.tmp.getRoot().toPath().resolve("x.safe"), "renamed", Fixture.FARM);
    fx.deployer.install("web2", Optional.of(other), OptionalInt.empty(), false);
    assertTrue(Files.exists(fx.dirs.modules().resolve("web2/conf/userconfig.xml")));
  }

  @Test
  public void idsAreSmallestFreeKeptAcrossReinstallAndUninstallAndForcible() throws Exception {
    assertEquals(1, install("a", OptionalInt.empty(), false));
    assertEquals(2, install("b", OptionalInt.empty(), false));
    assertEquals("reinstall keeps the id", 2, install("b", OptionalInt.empty(), true));
    fx.deployer.uninstall("a");
    assertEquals("a's id stays reserved for it", 3, install("c", OptionalInt.empty(), false));
    assertEquals("a gets its id back", 1, install("a", OptionalInt.empty(), false));
    assertEquals(7, install("d", OptionalInt.of(7), false));
    assertEquals(4, install("e", OptionalInt.empty(), false));
    try {
      install("f", OptionalInt.of(2), false);
      fail("id 2 belongs to b");
    } catch (DeployException e) {
      assertEquals("module id 2 is already used by module b", e.getMessage());
    }
    assertFalse(Files.exists(fx.dirs.modules().resolve("f")));
    assertEquals("-M on reinstall changes the id", 9, install("d", OptionalInt.of(9), true));
    List<String> listid =
        fx.deployer.list().stream().map(m -> m.name() + " " + m.id()).collect(Collectors.toList());
    assertEquals(List.of("a 1", "b 2", "c 3", "d 9", "e 4"), listid);
    assertEquals(
        "ids survive a new deployer (node restart)",
        listid,
        fx.deployer(SafeArchive.Limits.DEFAULT).list().stream()
            .map(m -> m.name() + " " + m.id())
            .collect(Collectors.toList()));
  }

  @Test
  public void installOverAnInstalledModuleNeedsReinstall() throws Exception {
    install("a", OptionalInt.empty(), false);
    try {
      install("a", OptionalInt.empty(), false);
      fail();
    } catch (DeployException e) {
      assertEquals(
          "module a is already installed: use module install -r to reinstall it", e.getMessage());
    }
  }

  @Test
  public void runningModulesAreNeitherReinstalledNorUninstalled() throws Exception {
    install("a", OptionalInt.empty(), false);
    fx.deployer.config("a");
    fx.deployer.setActivity(module -> false);
    String running = "module a is running: stop it first (safekit stop -m a)";
    for (ThrowingRunnable action :
        List.<ThrowingRunnable>of(
            () -> install("a", OptionalInt.empty(), true),
            () -> fx.deployer.uninstall("a"),
            () -> fx.deployer.deconfig("a"))) {
      try {
        action.run();
        fail();
      } catch (DeployException e) {
        assertEquals(running, e.getMessage());
      }
    }
    assertTrue(fx.bundles.present.containsKey("a"));
    assertTrue(Files.isDirectory(fx.dirs.userConf("a")));
    fx.deployer.setActivity(module -> true);
    fx.deployer.uninstall("a");
  }

  @Test
  public void uninstallBacksUpDeconfiguresAndRemoves() throws Exception {
    install("a", OptionalInt.empty(), false);
    fx.deployer.config("a");
    Path backup = fx.deployer.uninstall("a");
    assertEquals(fx.dirs.applicationModules().resolve("backup/a.safe"), backup);
    assertFalse(Files.exists(fx.dirs.modules().resolve("a")));
    assertFalse(Files.exists(fx.dirs.userConf("a").getParent()));
    assertEquals(List.of("install a", "uninstall a"), fx.bundles.calls);
    assertEquals(
        "only lastconfig remains",
        List.of("lastconfig"),
        fx.modulesTree().stream()
            .filter(p -> !p.startsWith("lastconfig/"))
            .collect(Collectors.toList()));
    // the backup reinstalls: install without a file finds it
    assertEquals(1, fx.deployer.install("a", Optional.empty(), OptionalInt.empty(), false).id());
    try {
      fx.deployer.uninstall("zz");
      fail();
    } catch (DeployException e) {
      assertTrue(e.getMessage(), e.getMessage().startsWith("module zz is not installed"));
    }
  }

  @Test
  public void packageRoundTrips() throws Exception {
    install("a", OptionalInt.empty(), false);
    Path out = fx.tmp.getRoot().toPath().resolve("a-copy.safe");
    fx.deployer.packageModule("a", out);
    fx.deployer.install("b", Optional.of(out), OptionalInt.empty(), false);
    assertEquals(
        Fixture.tree(fx.dirs.modules().resolve("a")), Fixture.tree(fx.dirs.modules().resolve("b")));
    assertTrue(Files.isExecutable(fx.dirs.modules().resolve("b/bin/start_both")));
  }

  @Test
  public void badNamesAndMissingPackagesAreRefused() throws Exception {
    for (String name : List.of("../x", "a/b", "lastconfig", "", ".hidden")) {
      try {
        fx.deployer.install(
            name, Optional.of(fx.safe("ok", Fixture.FARM)), OptionalInt.empty(), false);
        fail(name);
      } catch (DeployException e) {
        assertTrue(e.getMessage(), e.getMessage().contains("module name"));
      }
    }
    try {
      fx.deployer.install("nothere", Optional.empty(), OptionalInt.empty(), false);
      fail();
    } catch (DeployException e) {
      assertEquals(
          "module nothere: no nothere.safe under "
              + fx.dirs.applicationModules()
              + ": give the package file",
          e.getMessage());
    }
    assertEquals(List.of(), fx.modulesTree());
  }

  private int install(String module, OptionalInt id, boolean reinstall) throws Exception {
    return fx.deployer
        .install(module, Optional.of(fx.safe(module, Fixture.FARM)), id, reinstall)
        .id();
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
