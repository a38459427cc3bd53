package org.bulwark.deployer.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bulwark.api.cli.CliExit;
import org.junit.Rule;
import org.junit.Test;

/**
 * A package installs as shipped (issue 11): its blank placeholders and unset macros are the
 * template the administrator fills in; {@code config} refuses it, naming file, line and attribute,
 * and changes nothing until it is complete. A file that is no configuration is still refused.
 */
public class TemplateInstallTest {

  @Rule public Fixture fx = new Fixture();

  /** As the official mirror modules ship: a blank VIP, a blank replicated directory, a macro. */
  static final String BLANKS =
      String.join(
          "\n",
          "<!DOCTYPE safe>",
          "<safe>",
          "<macro name=\"VIRTUAL_IP\" value=\"\"/>",
          "<service mode=\"farm\">",
          "  <farm><lan name=\"default\"/></farm>",
          "  <vip><interface_list><interface>",
          "    <virtual_interface type=\"vmac_directed\">",
          "      <virtual_addr addr=\"%VIRTUAL_IP%\" where=\"alias\"/>",
          "    </virtual_interface>",
          "  </interface></interface_list></vip>",
          "  <user><var name=\"PORT\" value=\"%APP_PORT%\"/></user>",
          "</service>",
          "</safe>",
          "");

  @Test
  public void aTemplateWithBlanksInstallsAndConfigSaysWhatIsMissing() throws Exception {
    Path safe = fx.safe("tpl", BLANKS);
    Cli install = Cli.run(new ModuleVerb(fx.deployer), "tpl", null, "install", safe.toString());
    assertEquals(install.stderr(), CliExit.OK, install.code);
    String said = install.stdout();
    assertTrue(said, said.startsWith("Module tpl installed with id 1\n"));
    assertTrue(said, said.contains("Its configuration is to be completed before safekit config"));
    Path userconfig = fx.dirs.modules().resolve("tpl/conf/userconfig.xml");
    // each point with its file, line and attribute
    assertTrue(said, said.contains("  " + userconfig + ":8:"));
    assertTrue(said, said.contains("/@addr"));
    assertTrue(said, said.contains(":11:"));
    assertTrue(said, said.contains("APP_PORT"));
    assertEquals(BLANKS, Files.readString(userconfig));

    Cli config = Cli.run(new ConfigVerb(fx.deployer), "tpl", null);
    assertEquals(CliExit.FAILED, config.code);
    assertTrue(config.stderr(), config.stderr().contains(userconfig + ":8:"));
    assertFalse("nothing is applied", Files.exists(fx.dirs.userConf("tpl")));
    assertTrue(fx.bundles.calls.isEmpty());

    // filled in, it configures
    Files.writeString(
        userconfig,
        BLANKS.replace("value=\"\"", "value=\"127.0.0.170\"").replace("%APP_PORT%", "8080"));
    assertEquals(java.util.List.of(), fx.deployer.pending("tpl"));
    Cli done = Cli.run(new ConfigVerb(fx.deployer), "tpl", null);
    assertEquals(done.stderr(), CliExit.OK, done.code);
  }

  @Test
  public void aBlankReplicatedDirectoryInstallsButATypoDoesNot() throws Exception {
    String mirror = Fixture.MIRROR.replace("value=\"/var/lib/app\"", "value=\"\"");
    fx.deployer.install(
        "mir", java.util.Optional.of(fx.safe("mir", mirror)), java.util.OptionalInt.empty(), false);
    java.util.List<org.bulwark.api.config.ConfigurationError> pending = fx.deployer.pending("mir");
    assertEquals(pending.toString(), 1, pending.size());
    assertEquals(6, pending.get(0).line());
    assertTrue(pending.toString(), pending.get(0).path().endsWith("replicated/@dir"));
    Cli typo =
        Cli.run(
            new ModuleVerb(fx.deployer),
            "typo",
            null,
            "install",
            fx.safe("typo", Fixture.FARM.replace("mode=\"farm\"", "mode=\"fram\"")).toString());
    assertEquals(CliExit.FAILED, typo.code);
    assertTrue(typo.stderr(), typo.stderr().contains("configuration not valid"));
    assertFalse(Files.exists(fx.dirs.modules().resolve("typo")));
  }

  @Test
  public void aCompleteModuleInstallsWithoutRemarks() throws Exception {
    Cli install =
        Cli.run(
            new ModuleVerb(fx.deployer),
            "a",
            null,
            "install",
            fx.safe("a", Fixture.FARM).toString());
    assertEquals("Module a installed with id 1\n", install.stdout().replace("\r", ""));
  }

  @Test
  public void theDeployFolderStillNeedsACompleteConfiguration() throws Exception {
    Path file = fx.safe("tpl", BLANKS);
    try {
      fx.deployer.deploy(file);
      throw new AssertionError("a template was deployed");
    } catch (org.bulwark.api.deploy.DeployException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("configuration not valid"));
    }
    assertFalse(Files.exists(fx.dirs.modules().resolve("tpl")));
  }
}
