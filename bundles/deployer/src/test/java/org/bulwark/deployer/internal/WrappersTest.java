package org.bulwark.deployer.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.config.ConfigResult;
import org.bulwark.api.config.ModuleConfig;
import org.bulwark.api.config.ModuleContext;
import org.junit.Rule;
import org.junit.Test;

/**
 * The start and stop wrappers {@code config} writes into {@code SAFEUSERBIN} (spec E.5): they run
 * the module's scripts with its environment and variables, without the module.
 */
public class WrappersTest {

  @Rule public final Fixture fx = new Fixture();

  @Test
  public void theWrappersRunTheScriptsWithTheModulesEnvironment() throws Exception {
    Path trace = fx.tmp.getRoot().toPath().resolve("trace");
    String userconfig =
        Fixture.FARM.replace(
            "<user/>",
            "<user><var name=\"TRACE\" value=\""
                + trace
                + "\"/><var name=\"GREETING\" value=\"it's $HOME\"/></user>");
    String script = "#!/bin/sh\necho \"$(basename $0) $SAFEMODULE $GREETING $*\" >> \"$TRACE\"\n";
    Path pkg =
        new ZipWriter()
            .file("w/conf/userconfig.xml", userconfig)
            .executable("w/bin/start_both", script)
            .executable("w/bin/stop_both", script)
            .write(fx.tmp.getRoot().toPath().resolve("w.safe"));
    fx.deployer.install("w", Optional.of(pkg), OptionalInt.empty(), false);
    fx.deployer.config("w");
    Path bin = fx.dirs.userBin("w");
    run(bin.resolve("w_start_wrapper.sh"));
    run(bin.resolve("w_stop_wrapper.sh"));
    assertEquals(
        List.of(
            "start_both w it's $HOME WAIT UP start",
            "stop_both w it's $HOME UP WAIT stop",
            "stop_both w it's $HOME force UP WAIT stop"),
        Files.readAllLines(trace));
  }

  @Test
  public void theWrappersSetAndRemoveTheVirtualIps() throws Exception {
    String farm =
        Fixture.FARM.replace(
            "<user/>",
            "<vip><interface_list><interface><virtual_interface type=\"vmac_directed\">"
                + "<virtual_addr addr=\"192.168.7.20\" where=\"alias\""
                + " netmask=\"255.255.255.0\"/>"
                + "</virtual_interface></interface></interface_list></vip><user/>");
    ConfigResult<ModuleConfig> parsed =
        fx.config.parseModule(
            "userconfig.xml",
            farm.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            new ModuleContext("v", 1, Map.of(), Optional.empty()));
    ModuleConfig model = parsed.orElseThrow();
    String start = Wrappers.start(fx.dirs, model);
    String stop = Wrappers.stop(fx.dirs, model);
    assertTrue(start, start.contains("\nvip add '192.168.7.20' '255.255.255.0' || exit 1\n"));
    assertTrue(start, start.indexOf("vip add") < start.indexOf("run start_both"));
    assertTrue(stop, stop.contains("\nvip del '192.168.7.20' ''\n"));
    assertTrue(stop, stop.indexOf("run stop_both force") < stop.indexOf("vip del"));
    assertEquals("'it'\\''s'", Wrappers.quote("it's"));

    // for real, in a network namespace of its own: the address is set once, then removed
    String ns = "bwkwrap" + ProcessHandle.current().pid();
    org.junit.Assume.assumeTrue("needs root and ip netns", sh("ip netns add " + ns) == 0);
    try {
      assertEquals(
          0,
          sh(
              "ip -n "
                  + ns
                  + " link add v0 type veth peer name v1 && ip -n "
                  + ns
                  + " link set v0 up && ip -n "
                  + ns
                  + " addr add 192.168.7.5/24 dev v0"));
      Path bin = fx.tmp.newFolder("wrappers").toPath();
      Wrappers.write(bin, fx.dirs, model);
      String exec = "ip netns exec " + ns + " " + bin + "/v_";
      assertEquals(0, sh(exec + "start_wrapper.sh && " + exec + "start_wrapper.sh"));
      assertEquals(0, sh("ip -n " + ns + " -4 addr show dev v0 | grep -q ' 192.168.7.20/24 '"));
      assertEquals(0, sh(exec + "stop_wrapper.sh"));
      assertEquals(1, sh("ip -n " + ns + " -4 addr show | grep -q 192.168.7.20"));
    } finally {
      sh("ip netns del " + ns);
    }
  }

  private static int sh(String command) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
    p.getInputStream().transferTo(System.out);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return p.exitValue();
  }

  private static void run(Path wrapper) throws Exception {
    assertTrue(wrapper + " not executable", Files.isExecutable(wrapper));
    Process p = new ProcessBuilder(wrapper.toString()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(out, 0, p.exitValue());
  }
}
