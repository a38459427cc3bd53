package org.bulwark.deployer.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.bulwark.api.deploy.DeployException;
import org.bulwark.api.deploy.ModuleActivity;
import org.bulwark.api.module.LocalState;
import org.bulwark.api.module.ModuleState;
import org.bulwark.api.module.Readiness;
import org.junit.Rule;
import org.junit.Test;

/** config/postconfig/deconfig scripts (spec E.1) and dynamic configuration (spec B.0). */
public class ConfigScriptsTest {

  @Rule public final Fixture fx = new Fixture();

  private static final String WITH_VAR =
      Fixture.FARM.replace("<user/>", "<user><var name=\"SERVICES\" value=\"httpd\"/></user>");

  private Path install(String postconfigExit) throws Exception {
    String record = "#!/bin/sh\necho \"$0 $SAFEMODULE $SERVICES\" >> \"$SAFE/calls\"\n";
    Path pkg =
        new ZipWriter()
            .file("m/conf/userconfig.xml", WITH_VAR)
            .executable("m/bin/config", record)
            .executable(
                "m/bin/postconfig",
                record + "echo checked $SERVICES\nexit " + postconfigExit + "\n")
            .executable("m/bin/deconfig", record)
            .write(fx.tmp.getRoot().toPath().resolve("m.safe"));
    fx.deployer.install("m", Optional.of(pkg), OptionalInt.empty(), false);
    return fx.dirs.safe().resolve("calls");
  }

  @Test
  public void configPostconfigAndDeconfigRunWithTheScriptEnvironment() throws Exception {
    Path calls = install("0");
    fx.deployer.config("m");
    Path bin = fx.dirs.userBin("m");
    assertEquals(
        List.of(bin.resolve("config") + " m httpd", bin.resolve("postconfig") + " m httpd"),
        Files.readAllLines(calls));
    assertTrue(
        "output goes to a user log",
        Fixture.tree(fx.dirs.userVar("m")).stream()
            .anyMatch(p -> p.matches("userlog_\\d{4}-\\d\\d-\\d\\dT\\d{6}_postconfig\\.ulog")));
    fx.deployer.deconfig("m");
    assertEquals(bin.resolve("deconfig") + " m httpd", Files.readAllLines(calls).get(2));
  }

  @Test
  public void aFailingPostconfigFailsTheConfigurationAndKeepsThePreviousOne() throws Exception {
    install("0");
    fx.deployer.config("m");
    Path applied = fx.dirs.userConf("m").getParent();
    List<String> before = Fixture.tree(applied);
    String signature = fx.bundles.present.get("m").signature();
    Path postconfig = fx.dirs.modules().resolve("m/bin/postconfig");
    Files.writeString(postconfig, "#!/bin/sh\necho service $SERVICES is missing\nexit 3\n");
    try {
      fx.deployer.config("m");
      fail();
    } catch (DeployException e) {
      assertEquals(
          "module m: config failed: module m: script postconfig failed with exit code 3:"
              + System.lineSeparator()
              + "  service httpd is missing",
          e.getMessage());
    }
    assertEquals(before, Fixture.tree(applied));
    assertEquals(signature, fx.bundles.present.get("m").signature());
  }

  /** A runtime where module m is in {@code state}; it records the hand-overs it is given. */
  private static final class Running implements ModuleActivity {
    final LocalState state;
    final List<String> handovers = new ArrayList<>();

    Running(ModuleState state, Readiness readiness) {
      this.state = LocalState.of(state, readiness);
    }

    @Override
    public boolean isStopped(String module) {
      return false;
    }

    @Override
    public LocalState state(String module) {
      return state;
    }

    @Override
    public Handover reconfiguring(String module) {
      handovers.add("open " + module);
      return () -> handovers.add("close " + module);
    }
  }

  @Test
  public void aRunningModuleTakesOnlyDynamicChanges() throws Exception {
    install("0");
    fx.deployer.config("m");
    Running running = new Running(ModuleState.UP, Readiness.READY);
    fx.deployer.setActivity(running);
    Path userconfig = fx.dirs.modules().resolve("m/conf/userconfig.xml");
    Files.writeString(
        userconfig,
        WITH_VAR.replace("<service mode=\"farm\">", "<service mode=\"farm\" maxloop=\"5\">"));
    fx.deployer.config("m");
    assertTrue(
        Files.readString(fx.dirs.userConf("m").resolve("userconfig.xml"))
            .contains("maxloop=\"5\""));
    // the bundle was updated inside the hand-over: the runtime keeps the module running
    assertEquals(List.of("open m", "close m"), running.handovers);
    Files.writeString(userconfig, WITH_VAR.replace("<farm>", "<farm port=\"5000\">"));
    try {
      fx.deployer.config("m");
      fail();
    } catch (DeployException e) {
      assertEquals(
          "module m is running and these changes need it stopped: /safe/service/farm"
              + " (safekit stop -m m, then safekit config -m m)",
          e.getMessage());
    }
    assertFalse(Files.readString(fx.dirs.userConf("m").resolve("userconfig.xml")).contains("5000"));
  }

  @Test
  public void aRunningModuleIsConfiguredOnlyInTheStatesOfTheSpec() throws Exception {
    install("0");
    fx.deployer.config("m");
    String signature = fx.bundles.present.get("m").signature();
    Path userconfig = fx.dirs.modules().resolve("m/conf/userconfig.xml");
    Files.writeString(
        userconfig,
        WITH_VAR.replace("<service mode=\"farm\">", "<service mode=\"farm\" maxloop=\"5\">"));
    Running prim = new Running(ModuleState.PRIM, Readiness.READY);
    fx.deployer.setActivity(prim);
    try {
      fx.deployer.config("m");
      fail();
    } catch (DeployException e) {
      assertEquals(
          "module m is PRIM Ready: a running module is configured only in ALONE (Ready),"
              + " WAIT (NotReady) or UP (Ready), spec B.0; stop it first (safekit stop -m m)",
          e.getMessage());
    }
    assertEquals(List.of(), prim.handovers);
    assertEquals(signature, fx.bundles.present.get("m").signature());
    Running waiting = new Running(ModuleState.WAIT, Readiness.NOT_READY);
    fx.deployer.setActivity(waiting);
    fx.deployer.config("m");
    assertEquals(List.of("open m", "close m"), waiting.handovers);
  }
}
