package org.bulwark.api.net;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;
import org.bulwark.api.config.Vip;
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
                    BucketSet.all(),
                    List.of(
                        new FilterRule(
                            "eth0", v6, OptionalInt.of(1), Vip.Proto.ARP, Vip.Filter.ON_PORT))),
                new FilterGroup("g", BucketSet.all(), List.of())),
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
}
