package org.bulwark.api.net;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.bulwark.api.config.Vip;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.api.farm.GroupAllocation;
import org.junit.Test;

public class FilterTablesTest {
  private static Vip.Interface intf(
      Optional<String> name, Vip.VmacType type, Optional<String> mac, Vip.Address... addrs) {
    return new Vip.Interface(
        true,
        true,
        Duration.ofSeconds(60),
        Duration.ofSeconds(1200),
        name,
        true,
        Optional.of(type),
        mac,
        List.of(addrs));
  }

  private static Vip.Address alias(String a) {
    return new Vip.Address(a, Vip.Where.ALIAS, true, false, Optional.empty());
  }

  @Test
  public void theApacheFarmTemplate() throws Exception {
    // seeds 004: vmac_directed, one VIP, rule port="APACHE_PORT" proto="tcp" filter="on_addr"
    Vip vip =
        new Vip(
            true,
            false,
            List.of(
                intf(
                    Optional.empty(),
                    Vip.VmacType.VMAC_DIRECTED,
                    Optional.empty(),
                    alias("192.168.56.20"))),
            List.of(
                new Vip.Group(
                    "APACHE",
                    List.of(),
                    List.of(new Vip.Rule("*", "9010", Vip.Proto.TCP, Vip.Filter.ON_ADDR)))));
    FilterTable t =
        FilterTables.of(
            "apache_farm", vip, i -> "eth0", Map.of("APACHE", Buckets.range(0, 127)), Map.of());
    assertEquals(
        new FilterTable(
            "apache_farm",
            List.of(
                new FilterGroup(
                    "APACHE",
                    Buckets.range(0, 127),
                    List.of(
                        new FilterRule(
                            "eth0",
                            InetAddress.getByName("192.168.56.20"),
                            OptionalInt.of(9010),
                            Vip.Proto.TCP,
                            Vip.Filter.ON_ADDR)))),
            List.of()),
        t);
    assertEquals(List.of(), t.problems());
  }

  @Test
  public void starStandsForEveryAliasAndVmacInvisibleGetsItsMac() throws Exception {
    Vip vip =
        new Vip(
            true,
            false,
            List.of(
                intf(
                    Optional.of("eth0"),
                    Vip.VmacType.VMAC_INVISIBLE,
                    Optional.empty(),
                    alias("fd00::20"),
                    alias("10.0.0.20"),
                    alias("10.0.0.21")),
                intf(
                    Optional.of("eth1"),
                    Vip.VmacType.VMAC_INVISIBLE,
                    Optional.of("5a-fe-00-00-00-01"),
                    alias("10.1.0.20"))),
            List.of(
                new Vip.Group(
                    "G",
                    List.of(),
                    List.of(
                        new Vip.Rule("*", "*", Vip.Proto.UDP, Vip.Filter.ON_IPID),
                        new Vip.Rule("10.0.0.21", "80", Vip.Proto.TCP, Vip.Filter.ON_PORT)))));
    FilterTable t = FilterTables.of("m", vip, i -> i.name().orElseThrow(), Map.of(), Map.of());
    FilterGroup g = t.groups().get(0);
    assertEquals("closed: no buckets given", BucketSet.EMPTY, g.buckets());
    assertEquals(5, g.rules().size());
    assertEquals("eth1", g.rules().get(3).device());
    assertEquals(InetAddress.getByName("10.0.0.21"), g.rules().get(4).vip());
    assertEquals(
        List.of(
            new VirtualMac(
                "eth0",
                // the first IPv4 VIP names the MAC; the IPv6 one is answered with it too
                MacAddress.parse("5a:fe:0a:00:00:14"),
                List.of(
                    InetAddress.getByName("fd00::20"),
                    InetAddress.getByName("10.0.0.20"),
                    InetAddress.getByName("10.0.0.21"))),
            new VirtualMac(
                "eth1",
                MacAddress.parse("5a:fe:00:00:00:01"),
                List.of(InetAddress.getByName("10.1.0.20")))),
        t.vmacs());
  }

  @Test
  public void whatCannotBeProgrammedIsNamed() {
    Vip vip =
        new Vip(
            true,
            false,
            List.of(
                intf(
                    Optional.empty(),
                    Vip.VmacType.VMAC_DIRECTED,
                    Optional.empty(),
                    alias("www.example.com"))),
            List.of(
                new Vip.Group(
                    "G",
                    List.of(),
                    List.of(new Vip.Rule("10.9.9.9", "80", Vip.Proto.TCP, Vip.Filter.ON_ADDR)))));
    try {
      FilterTables.of("m", vip, i -> "eth0", Map.of(), Map.of());
      fail();
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("'www.example.com' is not an IP address"));
      assertTrue(e.getMessage(), e.getMessage().contains("names 10.9.9.9, which is not an alias"));
    }
  }

  @Test
  public void forwardsComeFromTheGroupAllocation() throws Exception {
    List<String> owners = new ArrayList<>();
    for (int b = 0; b < 256; b++) {
      owners.add(b < 100 ? "n1" : b < 200 ? "n2" : b < 250 ? "n3" : "");
    }
    GroupAllocation a = new GroupAllocation("G", "G_0", List.of("n1", "n2", "n3"), owners);
    InetAddress n2 = InetAddress.getByName("10.0.0.2");
    assertEquals(
        List.of(new FilterGroup.Forward(n2, Buckets.range(100, 199))),
        FilterTables.forwards(a, "n1", Map.of("n1", InetAddress.getByName("10.0.0.1"), "n2", n2)));
  }
}
