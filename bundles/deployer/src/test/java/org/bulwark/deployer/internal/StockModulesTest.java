package org.bulwark.deployer.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bulwark.api.deploy.ModulePort;
import org.junit.Rule;
import org.junit.Test;

/**
 * The stock modules of {@code safe-modules/} install and configure with the real parser, and their
 * POSIX scripts run: they call {@code $SAFE/safekit printi} and honour {@code force} (spec E.1,
 * E.2). The packages are zipped here from the sources, as the assembly does.
 */
public class StockModulesTest {

  private static final Path SOURCES = Path.of("../../safe-modules/src/main/modules");

  @Rule public final Fixture fx = new Fixture();

  @Test
  public void farmMirrorAndLightInstallConfigureAndGiveTheirPorts() throws Exception {
    assertEquals(
        List.of("heart port UDP 8888", "rfs safenfs_port TCP 5600"),
        ports(install("mirror", 1)).subList(2, 4));
    assertEquals(List.of("farm port UDP 4806"), ports(install("farm", 2)).subList(2, 3));
    assertEquals(2, ports(install("light", 3)).size());
  }

  @Test
  public void theCheckerExamplesInstallAndConfigure() throws Exception {
    install("softerrd", 1);
    install("customchecker", 2);
    assertEquals(2, ports("softerrd").size());
    assertEquals(2, ports("customchecker").size());
  }

  /**
   * The guide's other checker examples (issue 11): each installs and configures as shipped, with
   * the light module's start_both and stop_both, and its checker is the one the example is about.
   */
  @Test
  public void theGuidesOtherCheckerExamplesInstallAndConfigure() throws Exception {
    Map<String, String> checkers =
        Map.of(
            "tcp", "<tcp ident=\"app\" when=\"both\" action=\"restart\">",
            "ping", "<ping ident=\"router\" when=\"pre\" action=\"wait\">",
            "leader", "</service>",
            "follower", "<module ident=\"leader\" name=\"leader\">",
            "interface", "<intf ident=\"lan\">",
            "ip", "<ip ident=\"service\" when=\"both\">");
    int id = 1;
    for (String module : List.of("tcp", "ping", "leader", "follower", "interface", "ip")) {
      install(module, id++);
      assertEquals(module, 2, ports(module).size());
      assertTrue(module, Files.isExecutable(fx.dirs.userBin(module).resolve("start_both")));
      assertTrue(module, Files.isExecutable(fx.dirs.userBin(module).resolve("stop_both")));
      String userconfig = Files.readString(fx.dirs.userConf(module).resolve("userconfig.xml"));
      assertTrue(module + ": " + userconfig, userconfig.contains(checkers.get(module)));
    }
  }

  @Test
  public void softerrdStartsItsApplicationUnderTheNameErrdWatches() throws Exception {
    install("softerrd", 1);
    fakeSafekit();
    Path pidFile = Files.createDirectories(fx.dirs.userVar("softerrd")).resolve("softerrd_app.pid");
    run("softerrd", "start_both", "WAIT", "UP", "start");
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    try {
      assertEquals(
          "softerrd_app", Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim());
    } finally {
      run("softerrd", "stop_both", "UP", "WAIT", "stop");
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      assertTrue("softerrd_app outlived stop_both", System.nanoTime() < deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  public void splitbrainInstallsAndConfiguresAsAMirrorWithItsWitness() throws Exception {
    assertEquals(
        List.of("heart port UDP 8888", "rfs safenfs_port TCP 5600"),
        ports(install("splitbrain", 1)).subList(2, 4));
  }

  @Test
  public void scriptsCallSafekitAndHonourForce() throws Exception {
    install("farm", 1);
    install("mirror", 2);
    Path calls = fakeSafekit();
    run("farm", "start_both", "WAIT", "UP", "start");
    run("farm", "stop_both", "UP", "WAIT", "stop");
    run("farm", "stop_both", "force", "WAIT", "STOP", "stop");
    run("mirror", "prestart", "STOP", "WAIT", "start");
    assertEquals(
        List.of(
            "printi start_both: starting the application (WAIT -> UP, start)",
            "printi stop_both: stopping the application (UP -> WAIT, stop)",
            "printi stop_both: forced stop of the application",
            "printi prestart: making sure the application is stopped",
            "printi stop_prim: stopping the application (STOP -> WAIT, start)",
            "printi stop_prim: forced stop of the application"),
        Files.readAllLines(calls));
  }

  @Test
  public void appserviceInstallsAsShippedAndSaysWhatToFillIn() throws Exception {
    Path safe = pack("appservice");
    fx.deployer.install("appservice", Optional.of(safe), OptionalInt.of(4), false);
    List<String> pending =
        fx.deployer.pending("appservice").stream()
            .map(e -> e.line() + " " + e.path() + " " + e.message())
            .collect(Collectors.toList());
    assertEquals(1, pending.size());
    assertTrue(pending.get(0), pending.get(0).contains("undefined macro %SERVICE_COMMAND%"));
    assertTrue(pending.get(0), pending.get(0).contains("/safe/service/user/var[2]/@value"));
  }

  private String install(String module, int id) throws Exception {
    Path safe = pack(module);
    fx.deployer.install(module, Optional.of(safe), OptionalInt.of(id), false);
    fx.deployer.config(module);
    return module;
  }

  /**
   * The package as the assembly zips it from the sources: a module without {@code bin/} of its own
   * gets the light module's start_both and stop_both ({@code safe-modules/src/assembly}).
   */
  private Path pack(String module) throws Exception {
    Path root = SOURCES.resolve(module);
    ZipWriter zip = new ZipWriter();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
        add(zip, module + "/" + root.relativize(file).toString().replace('\\', '/'), file);
      }
    }
    if (!Files.isDirectory(root.resolve("bin"))) {
      for (String script : List.of("start_both", "stop_both")) {
        add(zip, module + "/bin/" + script, SOURCES.resolve("light/bin").resolve(script));
      }
    }
    return zip.write(fx.tmp.getRoot().toPath().resolve(module + ".safe"));
  }

  private static void add(ZipWriter zip, String name, Path file) throws Exception {
    int mode = Files.isExecutable(file) ? 0100755 : 0100644;
    zip.add(name, Files.readAllBytes(file), mode, true, -1);
  }

  private List<String> ports(String module) throws Exception {
    return fx.deployer.ports(module).stream().map(ModulePort::format).collect(Collectors.toList());
  }

  /** {@code $SAFE/safekit} that records its arguments, one call per line. */
  private Path fakeSafekit() throws Exception {
    Path safekit = fx.dirs.safe().resolve("safekit");
    Files.writeString(safekit, "#!/bin/sh\necho \"$*\" >> \"$SAFE/calls\"\n");
    Files.setPosixFilePermissions(safekit, PosixFilePermissions.fromString("rwxr-xr-x"));
    return fx.dirs.safe().resolve("calls");
  }

  private void run(String module, String script, String... args) throws Exception {
    Path bin = fx.dirs.userBin(module);
    List<String> command = new java.util.ArrayList<>(List.of(bin.resolve(script).toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.putAll(fx.dirs.scriptEnvironment(module));
    Process process = builder.start();
    try {
      String output = new String(process.getInputStream().readAllBytes());
      assertTrue(script + " did not end", process.waitFor(10, TimeUnit.SECONDS));
      assertEquals(script + ": " + output, 0, process.exitValue());
    } finally {
      process.destroyForcibly();
    }
  }
}
