package org.bulwark.vip.internal;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.env.SafeDirectories;
import org.bulwark.api.vip.ModuleVip;
import org.bulwark.api.vip.VipSetup;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** What {@code safekit config} is told about this node's network (spec B.6). */
public class HostNetworkTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final FakeNet net = new FakeNet();
  private VipManager host;
  private SafeDirectories dirs;

  @Before
  public void node() throws Exception {
    net.device("lo", "127.0.0.1", 8).device("eth0", "10.0.0.1", 24).device("eth0", "10.0.0.9", 24);
    dirs = SafeDirectories.resolve(tmp.getRoot().toPath(), Map.of());
    NodeEnvironment env =
        new NodeEnvironment() {
          @Override
          public SafeDirectories directories() {
            return dirs;
          }

          @Override
          public String version() {
            return "test";
          }

          @Override
          public String hostName() {
            return "node1";
          }

          @Override
          public String bindAddress() {
            return "10.0.0.1";
          }
        };
    host = new VipManager(net, env, new ManualTimers());
  }

  @Test
  public void interfaces() {
    assertEquals(Optional.empty(), host.interfaceProblem("eth0"));
    assertEquals(
        Optional.of("no interface named 'eth1' on this node; its interfaces: lo, eth0"),
        host.interfaceProblem("eth1"));
  }

  @Test
  public void localAddressesOfIntfCheckers() {
    assertEquals(Optional.empty(), host.localAddressProblem("10.0.0.1"));
    assertEquals(
        Optional.of(
            "10.0.0.2 is not an address of this node: <intf> watches the interface that holds it"),
        host.localAddressProblem("10.0.0.2"));
  }

  @Test
  public void addresses() throws Exception {
    assertEquals(Optional.empty(), host.addressProblem("mirror", "10.0.0.100", Optional.empty()));
    assertEquals(
        Optional.of(
            "10.0.0.9 is already used on this node (eth0) by something else than module mirror:"
                + " choose a free address, or remove it (ip addr del 10.0.0.9/24 dev eth0)"),
        host.addressProblem("mirror", "10.0.0.9", Optional.empty()));
    assertEquals(
        Optional.of(
            "no interface of this node is on the network of 10.9.0.1: name one with <interface"
                + " name=\"…\">"),
        host.addressProblem("mirror", "10.9.0.1", Optional.empty()));
    // named: the node need not be on its network
    assertEquals(Optional.empty(), host.addressProblem("mirror", "10.9.0.1", Optional.of("eth0")));
  }

  @Test
  public void theModulesOwnAddress_heldOrLeftByAKilledRun_isNotInUseBySomethingElse()
      throws Exception {
    Path record = dirs.userVar("mirror").resolve(VipSetup.RECORD);
    ModuleVip m =
        host.open(
            new VipSetup(
                "mirror",
                ModuleAddressesTest.vip(
                    true,
                    ModuleAddressesTest.intf(
                        false, Optional.empty(), ModuleAddressesTest.addr("10.0.0.100"))),
                record),
            (l, c, msg) -> {});
    m.set();
    assertEquals(Optional.empty(), host.addressProblem("mirror", "10.0.0.100", Optional.empty()));
    assertEquals(true, host.addressProblem("other", "10.0.0.100", Optional.empty()).isPresent());
    m.close(); // as a killed run: the address and the record stay
    assertEquals(Optional.empty(), host.addressProblem("mirror", "10.0.0.100", Optional.empty()));
    Files.delete(record);
    assertEquals(true, host.addressProblem("mirror", "10.0.0.100", Optional.empty()).isPresent());
  }
}
