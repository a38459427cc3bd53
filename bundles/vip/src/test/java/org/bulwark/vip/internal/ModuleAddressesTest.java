package org.bulwark.vip.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.config.Vip;
import org.bulwark.api.net.MacAddress;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.vip.ModuleVip;
import org.bulwark.api.vip.VipEvents;
import org.bulwark.api.vip.VipSetup;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The mirror VIP's order of operations, arpreroute, tcpreset, failures and leftovers (spec B.6).
 */
public class ModuleAddressesTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final FakeNet net = new FakeNet();
  private final ManualTimers timers = new ManualTimers();
  private final List<String> log = new ArrayList<>();
  private Path record;

  @Before
  public void node() throws Exception {
    net.device("lo", "127.0.0.1", 8).device("eth0", "10.0.0.1", 24).device("eth1", "10.1.0.1", 16);
    record = tmp.getRoot().toPath().resolve("mirror").resolve(VipSetup.RECORD);
  }

  static Vip.Address addr(String ip) {
    return new Vip.Address(ip, Vip.Where.ONE_SIDE_ALIAS, true, false, Optional.empty());
  }

  static Vip.Interface intf(boolean reroute, Optional<String> name, Vip.Address... a) {
    return new Vip.Interface(
        true,
        reroute,
        Duration.ofSeconds(5),
        Duration.ofSeconds(20),
        name,
        false,
        Optional.empty(),
        Optional.empty(),
        List.of(a));
  }

  static Vip vip(boolean tcpreset, Vip.Interface... i) {
    return new Vip(tcpreset, false, List.of(i), List.of());
  }

  /** Records what the module's runtime is told: log lines, resources, rules fired. */
  private final List<String> told = new ArrayList<>();

  private ModuleVip open(Vip vip) {
    VipManager manager = new VipManager(net, null, timers);
    return manager.open(
        new VipSetup("mirror", vip, record),
        new VipEvents() {
          @Override
          public void log(EventLevel level, String component, String message) {
            log.add(level + " " + component + " " + message);
          }

          @Override
          public void resource(String name, String value, String by) {
            told.add("resource " + name + " " + value + " by " + by);
          }

          @Override
          public void stopstart(String rule) {
            told.add("stopstart " + rule);
          }
        });
  }

  @Test
  public void set_addressThenAnnouncementThenTheSpecsLine_removal_resetThenRemove()
      throws Exception {
    ModuleVip m = open(vip(true, intf(false, Optional.empty(), addr("10.0.0.100"))));
    m.set();
    assertEquals(
        List.of("add 10.0.0.100/24 Optional[eth0:mirror]", "announce 10.0.0.100"), net.calls);
    assertEquals(List.of("I vipplug Virtual IP 10.0.0.100 set"), log);
    assertEquals(List.of("10.0.0.100 on eth0"), m.held());
    assertTrue(net.has("eth0", "10.0.0.100"));
    // recorded before it was set, in case the node process is killed from now on
    assertEquals(List.of("eth0 10.0.0.100/24"), Files.readAllLines(record));

    timers.advance(Duration.ZERO); // the conflict probe
    assertEquals("probe 10.0.0.100", net.calls.get(2));
    net.calls.clear();
    log.clear();

    m.remove();
    assertEquals(List.of("tcpreset 10.0.0.100", "remove 10.0.0.100/24"), net.calls);
    assertEquals(
        List.of(
            "I vipplug Reset 2 TCP connections of virtual IP 10.0.0.100",
            "I vipplug Virtual IP 10.0.0.100 removed"),
        log);
    assertFalse(net.has("eth0", "10.0.0.100"));
    assertFalse(Files.exists(record));
    assertEquals(List.of(), m.held());
  }

  @Test
  public void tcpresetOff_noReset() throws Exception {
    ModuleVip m = open(vip(false, intf(false, Optional.empty(), addr("10.0.0.100"))));
    m.set();
    net.calls.clear();
    m.remove();
    assertEquals(List.of("remove 10.0.0.100/24"), net.calls);
  }

  @Test
  public void arpreroute_announcesEveryIntervalDuringElapse_andStopsOnRemoval() throws Exception {
    ModuleVip m = open(vip(true, intf(true, Optional.empty(), addr("10.0.0.100"))));
    m.set();
    List<Duration> at = new ArrayList<>();
    at.add(timers.now());
    for (int s = 0; s < 40; s++) {
      int before = count("announce");
      timers.advance(Duration.ofSeconds(1));
      if (count("announce") > before) {
        at.add(timers.now());
      }
    }
    // interval 5 s during elapse 20 s: 0, 5, 10, 15, 20, then none (ArpSchedule)
    assertEquals(List.of(0, 5, 10, 15, 20), at.stream().map(d -> (int) d.toSeconds()).toList());

    ModuleVip again = open(vip(true, intf(true, Optional.empty(), addr("10.0.0.101"))));
    again.set();
    timers.advance(Duration.ofSeconds(5));
    int announced = count("announce 10.0.0.101");
    again.remove();
    timers.advance(Duration.ofSeconds(60));
    assertEquals(announced, count("announce 10.0.0.101"));
    m.remove(); // its ip checker was still looking
    assertEquals(0, timers.pending());
  }

  @Test
  public void ipv6Vip_unsolicitedNeighbourAdvertisementsOnTheSameSchedule() throws Exception {
    ModuleVip m = open(vip(true, intf(true, Optional.of("eth0"), addr("fd00::100"))));
    m.set();
    assertEquals("announce fd00:0:0:0:0:0:0:100", net.calls.get(1));
    for (int s = 0; s < 40; s++) {
      timers.advance(Duration.ofSeconds(1));
    }
    // as for ARP: at 0, 5, 10, 15 and 20 s (interval 5 s, elapse 20 s)
    assertEquals(5, count("announce fd00"));
    m.remove();
    assertEquals(0, timers.pending());
  }

  @Test
  public void noReroute_oneAnnouncementOnly() throws Exception {
    ModuleVip m = open(vip(true, intf(false, Optional.empty(), addr("10.0.0.100"))));
    m.set();
    timers.advance(Duration.ofHours(1));
    assertEquals(1, count("announce"));
  }

  @Test
  public void aVipThatCannotBeSet_failsNamingIt_andLeavesNothing() throws Exception {
    net.refuseAdd = "10.1.0.100";
    ModuleVip m =
        open(
            vip(
                true,
                intf(false, Optional.of("eth0"), addr("10.0.0.100")),
                intf(false, Optional.of("eth1"), addr("10.1.0.100"))));
    try {
      m.set();
      fail("set");
    } catch (IOException e) {
      assertEquals(
          "Virtual IP 10.1.0.100 cannot be set on eth1: refused by the test", e.getMessage());
    }
    assertFalse(net.has("eth0", "10.0.0.100"));
    assertTrue(net.calls.contains("remove 10.0.0.100/24"));
    assertFalse(Files.exists(record));
    assertEquals(List.of(), m.held());
    assertTrue(log.toString(), log.stream().noneMatch(l -> l.endsWith(" set")));
  }

  @Test
  public void anInterfaceThatDoesNotExist_failsBeforeAnythingIsSet() throws Exception {
    ModuleVip m = open(vip(true, intf(false, Optional.of("eth9"), addr("10.0.0.100"))));
    try {
      m.set();
      fail("set");
    } catch (IOException e) {
      assertEquals(
          "Virtual IP 10.0.0.100 cannot be set: no interface named 'eth9' on this node"
              + " (interfaces: lo, eth0, eth1)",
          e.getMessage());
    }
    assertEquals(List.of(), net.calls);
    assertFalse(Files.exists(record));
  }

  @Test
  public void leftoversOfAKilledRun_removedAtOpen_onlyTheConfiguredOnes() throws Exception {
    // a run killed while primary: its record and its addresses stay; an admin's address too
    Files.createDirectories(record.getParent());
    Files.writeString(record, "eth0 10.0.0.100/24\neth0 10.0.0.50/24\n");
    net.addresses
        .get("eth0")
        .add(
            new org.bulwark.api.net.NetInterface.Address(
                java.net.InetAddress.getByName("10.0.0.100"), 24, Optional.empty(), true));
    net.addresses
        .get("eth0")
        .add(
            new org.bulwark.api.net.NetInterface.Address(
                java.net.InetAddress.getByName("10.0.0.50"), 24, Optional.empty(), true));
    net.addresses
        .get("eth0")
        .add(
            new org.bulwark.api.net.NetInterface.Address(
                java.net.InetAddress.getByName("10.0.0.7"), 24, Optional.empty(), true));

    open(vip(true, intf(false, Optional.empty(), addr("10.0.0.100"), addr("10.0.0.7"))));

    assertFalse(net.has("eth0", "10.0.0.100")); // recorded and configured: removed
    assertTrue(net.has("eth0", "10.0.0.50")); // recorded, no longer configured: left
    assertTrue(net.has("eth0", "10.0.0.7")); // configured, never set by the module: left
    assertEquals(
        List.of(
            "E vipplug Virtual IP 10.0.0.100 removed from eth0: left set by a previous run",
            "W vipplug Virtual IP 10.0.0.50 set by a previous run is still on eth0 but no longer"
                + " configured: left as it is (ip addr del 10.0.0.50/24 dev eth0)"),
        log);
    assertFalse(Files.exists(record));
  }

  @Test
  public void anotherHolderAnsweringArp_isSaid() throws Exception {
    net.otherHolders.add(MacAddress.parse("02:aa:bb:cc:dd:ee"));
    ModuleVip m = open(vip(true, intf(false, Optional.empty(), addr("10.0.0.100"))));
    m.set();
    timers.advance(Duration.ZERO);
    assertTrue(
        log.toString(),
        log.stream()
            .anyMatch(
                l ->
                    l.startsWith(
                        "W vipplug Virtual IP 10.0.0.100 is also answered by [02:aa:bb:cc:dd:ee]"
                            + " on eth0")));
  }

  @Test
  public void ipChecker_aVipThatLeftItsInterface_setsIpDownAndFiresIpFailureOnce()
      throws Exception {
    ModuleVip m = open(vip(true, intf(false, Optional.empty(), addr("10.0.0.100"))));
    m.set();
    assertEquals(List.of("resource ip.10.0.0.100 up by ipcheck"), told);
    timers.advance(Duration.ofSeconds(35));
    assertEquals(1, told.size()); // still there: nothing more said
    // removed behind the module's back
    net.addresses.get("eth0").removeIf(a -> a.address().getHostAddress().equals("10.0.0.100"));
    timers.advance(Duration.ofSeconds(10));
    assertEquals(
        List.of(
            "resource ip.10.0.0.100 up by ipcheck",
            "resource ip.10.0.0.100 down by ipcheck",
            "stopstart ip_failure"),
        told);
    assertTrue(
        log.toString(), log.contains("E ipcheck Virtual IP 10.0.0.100 is no longer on eth0"));
    timers.advance(Duration.ofSeconds(60));
    assertEquals(3, told.size()); // once: the stopstart sets the addresses again
    m.remove();
    assertEquals(0, timers.pending());
  }

  @Test
  public void ipChecker_off_withCheckOff() throws Exception {
    Vip.Address unchecked =
        new Vip.Address("10.0.0.100", Vip.Where.ONE_SIDE_ALIAS, false, false, Optional.empty());
    ModuleVip m = open(vip(true, intf(false, Optional.empty(), unchecked)));
    m.set();
    net.addresses.get("eth0").removeIf(a -> a.address().getHostAddress().equals("10.0.0.100"));
    timers.advance(Duration.ofSeconds(60));
    assertEquals(List.of(), told);
  }

  @Test
  public void ipChecker_stopsWithTheRemoval() throws Exception {
    ModuleVip m = open(vip(true, intf(false, Optional.empty(), addr("10.0.0.100"))));
    m.set();
    m.remove();
    timers.advance(Duration.ofSeconds(60));
    assertEquals(List.of("resource ip.10.0.0.100 up by ipcheck"), told);
  }

  @Test
  public void connectionsOn_countedIntoTheirResource_onChangeOnly() throws Exception {
    Vip.Address counted =
        new Vip.Address("10.0.0.100", Vip.Where.ONE_SIDE_ALIAS, false, true, Optional.empty());
    ModuleVip m = open(vip(true, intf(false, Optional.empty(), counted)));
    m.set();
    timers.advance(Duration.ofSeconds(10));
    timers.advance(Duration.ofSeconds(10));
    net.connections = 5;
    timers.advance(Duration.ofSeconds(10));
    assertEquals(
        List.of(
            "resource connections.10.0.0.100 2 by vipplug",
            "resource connections.10.0.0.100 5 by vipplug"),
        told);
    m.remove();
  }

  private int count(String prefix) {
    return (int) net.calls.stream().filter(c -> c.startsWith(prefix)).count();
  }
}
