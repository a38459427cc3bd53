package org.bulwark.api.net;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;
import org.bulwark.api.config.Vip;
import org.bulwark.api.farm.BucketSet;
import org.junit.Test;

public class FilterTableTest {
  @Test
  public void tableNamesAreDistinctPerModule() {
    assertEquals("bulwark_web", FilterTable.tableName("web"));
    assertEquals("bulwark_a__b", FilterTable.tableName("a_b"));
    assertEquals("bulwark_a_db_h", FilterTable.tableName("a.b-"));
    assertNotEquals(FilterTable.tableName("a_d"), FilterTable.tableName("a.d"));
    assertNotEquals(FilterTable.tableName("a_h"), FilterTable.tableName("a-h"));
  }

  @Test
  public void problemsAreAllReported() throws Exception {
    InetAddress v6 = InetAddress.getByName("fd00::1");
    FilterTable t =
        new FilterTable(
            "m",
            List.of(
                new FilterGroup(
                    "g",
                    BucketSet.ALL,
                    List.of(
                        new FilterRule(
                            "eth0", v6, OptionalInt.of(1), Vip.Proto.ARP, Vip.Filter.ON_PORT))),
                new FilterGroup("g", BucketSet.ALL, List.of())),
            List.of(new VirtualMac("eth0", MacAddress.parse("01:00:5e:00:00:01"), List.of(v6))));
    List<String> p = t.problems();
    assertTrue(p.toString(), p.contains("group g appears twice"));
    assertTrue(p.toString(), p.contains("group g has no rule"));
    assertTrue(
        p.toString(), p.stream().anyMatch(s -> s.contains("an arp rule needs filter=\"on_addr\"")));
    assertTrue(p.toString(), p.stream().anyMatch(s -> s.contains("an arp rule has no port")));
    assertTrue(p.toString(), p.stream().anyMatch(s -> s.contains("is a group address")));
  }

  @Test
  public void defaultVirtualMacIsTheSpecs() throws Exception {
    // spec B.6: 192.168.56.20 -> 5a-fe-c0-a8-38-14
    MacAddress m =
        MacAddress.forVip((java.net.Inet4Address) InetAddress.getByName("192.168.56.20"));
    assertEquals("5a:fe:c0:a8:38:14", m.toString());
    assertEquals(m, MacAddress.parse("5A-FE-C0-A8-38-14"));
  }

  @Test
  public void aForwardedBucketHasOneOwnerPerFamily() throws Exception {
    InetAddress vip = InetAddress.getByName("10.0.0.100");
    FilterRule r =
        new FilterRule("eth0", vip, OptionalInt.of(80), Vip.Proto.TCP, Vip.Filter.ON_PORT);
    InetAddress n2 = InetAddress.getByName("10.0.0.2");
    InetAddress n3 = InetAddress.getByName("10.0.0.3");
    InetAddress n2v6 = InetAddress.getByName("fd00::2");
    FilterGroup ok =
        new FilterGroup(
            "g",
            Buckets.range(0, 99),
            List.of(r),
            List.of(
                new FilterGroup.Forward(n2, Buckets.range(100, 199)),
                new FilterGroup.Forward(n3, Buckets.range(200, 255)),
                new FilterGroup.Forward(n2v6, Buckets.range(100, 199))));
    assertEquals(List.of(), new FilterTable("m", List.of(ok), List.of()).problems());
    FilterGroup overlap =
        new FilterGroup(
            "g",
            Buckets.range(0, 99),
            List.of(r),
            List.of(new FilterGroup.Forward(n2, Buckets.range(99, 199))));
    assertEquals(
        List.of(
            "group g: buckets forwarded to 10.0.0.2 are also held or forwarded elsewhere (a bucket has one owner)"),
        new FilterTable("m", List.of(overlap), List.of()).problems());
  }

  @Test
  public void netmaskGivesThePrefix() {
    assertEquals(24, VirtualAddress.prefixOf("255.255.255.0"));
    assertEquals(32, VirtualAddress.prefixOf("255.255.255.255"));
    assertEquals(0, VirtualAddress.prefixOf("0.0.0.0"));
    assertEquals(17, VirtualAddress.prefixOf("255.255.128.0"));
    assertEquals(16, VirtualAddress.prefixOf("16"));
    for (String bad : List.of("255.0.255.0", "255.255.256.0", "1.2.3", "x")) {
      try {
        VirtualAddress.prefixOf(bad);
        fail(bad);
      } catch (IllegalArgumentException expected) {
        assertTrue(expected.getMessage(), expected.getMessage().contains(bad));
      }
    }
  }
}
