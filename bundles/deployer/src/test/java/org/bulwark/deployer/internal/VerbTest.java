package org.bulwark.deployer.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bulwark.api.cli.CliExit;
import org.junit.Rule;
import org.junit.Test;

/**
 * The verbs print what the spec shows and fail with a message and a non-zero code (spec F.5, G.9).
 */
public class VerbTest {

  @Rule public final Fixture fx = new Fixture();

  private static String lines(String... lines) {
    return String.join(System.lineSeparator(), lines) + System.lineSeparator();
  }

  @Test
  public void getportsOfAMirrorWithId1() throws Exception {
    ModuleVerb verb = new ModuleVerb(fx.deployer);
    Path pkg = fx.safe("mirror", Fixture.MIRROR);
    Cli install = Cli.run(verb, "mirror", pkg.getParent().toString(), "install", "mirror.safe");
    assertEquals(install.stderr(), CliExit.OK, install.code);
    assertEquals(lines("Module mirror installed with id 1"), install.stdout());
    Cli ports = Cli.run(verb, "mirror", null, "getports");
    assertEquals(CliExit.OK, ports.code);
    assertEquals(
        lines(
            "safeadmin port UDP 4800",
            "webconsole port TCP 9010",
            "heart port UDP 8888",
            "rfs safenfs_port TCP 5600"),
        ports.stdout());
  }

  @Test
  public void getportsOfAFarmWithId2AndById() throws Exception {
    ModuleVerb verb = new ModuleVerb(fx.deployer);
    Path pkg = fx.safe("farm", Fixture.FARM);
    assertEquals(0, Cli.run(verb, "farm", null, "install", "-M", "2", pkg.toString()).code);
    assertEquals(
        lines("safeadmin port UDP 4800", "webconsole port TCP 9010", "farm port UDP 4806"),
        Cli.run(verb, "farm", null, "getports").stdout());
    assertEquals(
        lines(
            "safeadmin port UDP 4800",
            "webconsole port TCP 9010",
            "heart port UDP 8890",
            "rfs safenfs_port TCP 5608",
            "farm port UDP 4809"),
        Cli.run(verb, "farm", null, "getports", "-i", "3").stdout());
    Cli bad = Cli.run(verb, null, null, "getports", "-i", "0");
    assertEquals(CliExit.FAILED, bad.code);
    assertEquals(lines("Error: invalid module id 0: ids start at 1"), bad.stderr());
  }

  @Test
  public void listListidUninstallPackage() throws Exception {
    ModuleVerb verb = new ModuleVerb(fx.deployer);
    Cli.run(verb, "b", null, "install", fx.safe("b", Fixture.FARM).toString());
    Cli byName = Cli.run(verb, null, null, "install", fx.safe("a", Fixture.FARM).toString());
    assertEquals(lines("Module a installed with id 2"), byName.stdout());
    assertEquals(lines("a", "b"), Cli.run(verb, null, null, "list").stdout());
    assertEquals(lines("a 2", "b 1"), Cli.run(verb, null, null, "listid").stdout());
    Path out = fx.tmp.getRoot().toPath().resolve("a-new.safe");
    Cli pack = Cli.run(verb, "a", null, "package", out.toString());
    assertEquals(lines("Module a packaged in " + out), pack.stdout());
    assertTrue(Files.size(out) > 0);
    Cli un = Cli.run(verb, "a", null, "uninstall");
    assertEquals(un.stderr(), 0, un.code);
    assertEquals(lines("b"), Cli.run(verb, null, null, "list").stdout());
    assertTrue(
        verb.journaled(
            new org.bulwark.api.cli.CliRequest(
                "module", java.util.List.of("install"), "a", null, java.util.Map.of())));
  }

  @Test
  public void errorsHaveMessagesAndCodes() throws Exception {
    ModuleVerb verb = new ModuleVerb(fx.deployer);
    Cli none = Cli.run(verb, null, null);
    assertEquals(CliExit.USAGE, none.code);
    assertTrue(none.stderr(), none.stderr().startsWith("a subcommand is required"));
    Cli noModule = Cli.run(verb, null, null, "install");
    assertEquals(CliExit.USAGE, noModule.code);
    assertTrue(noModule.stderr().startsWith("a module is required: -m AM"));
    Cli badId = Cli.run(verb, "a", null, "install", "-M", "x");
    assertEquals(CliExit.USAGE, badId.code);
    Cli unknown = Cli.run(verb, "a", null, "install", "-z");
    assertEquals(
        lines("unknown option '-z'"),
        unknown.stderr().substring(0, unknown.stderr().indexOf('\n') + 1));
    Path broken =
        new ZipWriter()
            .file("a/conf/userconfig.xml", "<safe>\n  <service mode=\"farm\">\n</safe>\n")
            .write(fx.tmp.getRoot().toPath().resolve("a.safe"));
    Cli invalid = Cli.run(verb, "a", null, "install", broken.toString());
    assertEquals(CliExit.FAILED, invalid.code);
    assertTrue(
        invalid.stderr(), invalid.stderr().startsWith("Error: a.safe!/conf/userconfig.xml:3:"));
    assertTrue(invalid.stderr(), invalid.stderr().contains("configuration not valid"));
    Cli missing = Cli.run(verb, "a", null, "install", "/nonexistent/a.safe");
    assertEquals(lines("Error: module a: no such package /nonexistent/a.safe"), missing.stderr());
    assertEquals(CliExit.FAILED, Cli.run(verb, "zz", null, "getports").code);
    Cli config = Cli.run(new ConfigVerb(fx.deployer), "zz", null);
    assertEquals(CliExit.FAILED, config.code);
    assertTrue(config.stderr(), config.stderr().startsWith("Error: module zz is not installed"));
    assertEquals(CliExit.USAGE, Cli.run(new ConfigVerb(fx.deployer), null, null).code);
    assertEquals(CliExit.FAILED, Cli.run(new DeconfigVerb(fx.deployer), "zz", null).code);
  }

  @Test
  public void configAndDeconfigVerbs() throws Exception {
    Cli.run(
        new ModuleVerb(fx.deployer), "a", null, "install", fx.safe("a", Fixture.FARM).toString());
    Cli config = Cli.run(new ConfigVerb(fx.deployer), "a", null);
    assertEquals(config.stderr(), 0, config.code);
    assertTrue(config.stdout(), config.stdout().startsWith("Module a configured (signature "));
    Cli deconfig = Cli.run(new DeconfigVerb(fx.deployer), "a", null);
    assertEquals(lines("Module a deconfigured"), deconfig.stdout());
  }
}
