package org.bulwark.net.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.bulwark.api.config.Vip;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.api.net.BucketView;
import org.bulwark.api.net.FilterGroup;
import org.bulwark.api.net.FilterRule;
import org.bulwark.api.net.FilterTable;
import org.bulwark.api.net.NetException;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The filter's life in the kernel of one namespace: tables, leftovers, bucket view, bad input. */
public class PacketFilterTest {
  private NetLab lab;
  private Netns node;
  private NftPacketFilter filter;
  private InetAddress vip;

  @Before
  public void setUp() throws Exception {
    lab = new NetLab();
    lab.add("node");
    lab.add("peer");
    lab.link("node", "eth0", "peer", "eth0");
    lab.link("node", "eth1", "peer", "eth1");
    node = lab.thread("node");
    filter = new NftPacketFilter(node);
    vip = InetAddress.getByName("10.66.0.100");
  }

  @After
  public void tearDown() throws IOException {
    if (filter != null) {
      filter.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  private FilterTable table(String module, String device, BucketSet... groups) {
    return TcpTables.onAddr(module, device, vip, groups);
  }

  private String tables() throws IOException {
    return lab.exec("node", "nft", "list", "tables");
  }

  @Test
  public void viewShowsEveryGroupAsTheKernelHoldsIt() throws Exception {
    BucketSet half = Buckets.range(128, 255);
    BucketSet odd = BucketSet.of(IntStream.range(0, 128).map(i -> 2 * i + 1).toArray());
    filter.apply(table("m1", "eth0", half, BucketSet.ALL, BucketSet.EMPTY, odd));
    BucketView v = filter.view("m1").orElseThrow();
    assertEquals("bulwark_m1", v.table());
    assertEquals(
        Map.of("G_0", half, "G_1", BucketSet.ALL, "G_2", BucketSet.EMPTY, "G_3", odd), v.groups());
    assertEquals(
        "G_0 128/256 00000000 00000000 00000000 00000000 ffffffff ffffffff ffffffff ffffffff\n"
            + "G_1 256/256 ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff ffffffff\n"
            + "G_2 0/256 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000\n"
            + "G_3 128/256 aaaaaaaa aaaaaaaa aaaaaaaa aaaaaaaa aaaaaaaa aaaaaaaa aaaaaaaa aaaaaaaa\n",
        v.render());
    assertEquals(Optional.empty(), filter.view("other"));
  }

  @Test
  public void modulesHaveTablesOfTheirOwn() throws Exception {
    filter.apply(table("web", "eth0", Buckets.range(0, 9)));
    filter.apply(table("db-2.x", "eth1", Buckets.range(10, 19)));
    assertTrue(tables(), tables().contains("table netdev bulwark_web"));
    assertTrue(tables(), tables().contains("table netdev bulwark_db_h2_dx"));
    assertTrue(tables(), tables().contains("table netdev bulwark_web_guard"));
    assertTrue(filter.remove("web"));
    assertFalse(tables(), tables().contains("bulwark_web"));
    assertFalse(filter.remove("web"));
    assertEquals(Optional.empty(), filter.view("web"));
    assertEquals(Buckets.range(10, 19), filter.view("db-2.x").orElseThrow().groups().get("G_0"));
  }

  @Test
  public void aTableLeftByAKilledNodeIsCleanedAtTheNextStart() throws Exception {
    filter.apply(table("web", "eth0", Buckets.range(0, 127)));
    filter.apply(table("keep", "eth0", Buckets.range(0, 127)));
    // the node dies: its context goes and the kernel deletes the filters it owned; the guards
    // stay
    filter.close();
    assertFalse(tables(), tables().contains("table netdev bulwark_web\n"));
    assertTrue(tables(), tables().contains("table netdev bulwark_web_guard"));
    assertTrue(tables(), tables().contains("table netdev bulwark_keep_guard"));
    NftPacketFilter next = new NftPacketFilter(node);
    try {
      assertEquals(Optional.empty(), next.view("web"));
      assertTrue("the guard was left", next.cleanLeftovers("web"));
      assertFalse(tables(), tables().contains("bulwark_web"));
      assertFalse("nothing left the second time", next.cleanLeftovers("web"));
      assertTrue("another module's guard is not touched", tables().contains("bulwark_keep_guard"));
      // a table left by a run older than the owner flag (no owner) is cleaned too
      lab.exec("node", "nft", "add", "table", "netdev", "bulwark_old");
      assertTrue(next.cleanLeftovers("old"));
      assertFalse(tables(), tables().contains("bulwark_old"));
    } finally {
      next.close();
    }
  }

  @Test
  public void deactivationRemovesTheTablesItInstalled() throws Exception {
    filter.apply(table("web", "eth0", Buckets.range(0, 127)));
    filter.deactivate();
    assertFalse("the filter and its guard are gone: " + tables(), tables().contains("bulwark_web"));
  }

  @Test
  public void badInputIsRefusedAndTheKernelKeepsWhatItHad() throws Exception {
    filter.apply(table("web", "eth0", Buckets.range(0, 127)));
    String before = lab.exec("node", "nft", "list", "table", "netdev", "bulwark_web");
    refused(table("web", "nosuch0", BucketSet.ALL), "no interface named 'nosuch0'");
    refused(table("we b", "eth0", BucketSet.ALL), "invalid module name 'we b'");
    refused(
        new FilterTable(
            "web",
            List.of(
                new FilterGroup(
                    "G",
                    BucketSet.ALL,
                    List.of(
                        new FilterRule(
                            "eth0", vip, OptionalInt.of(80), Vip.Proto.TCP, Vip.Filter.ON_IPID),
                        new FilterRule(
                            "eth0",
                            InetAddress.getByName("fd00::1"),
                            OptionalInt.of(70000),
                            Vip.Proto.UDP,
                            Vip.Filter.ON_IPID)))),
            List.of()),
        "on_ipid is meaningless for tcp",
        "port 70000",
        "on_ipid needs an IPv4 virtual address, not fd00::1");
    assertEquals(before, lab.exec("node", "nft", "list", "table", "netdev", "bulwark_web"));
  }

  private void refused(FilterTable t, String... reasons) {
    try {
      filter.apply(t);
      fail("accepted " + t);
    } catch (NetException e) {
      for (String r : reasons) {
        assertTrue(e.getMessage(), e.getMessage().contains(r));
      }
    }
  }
}
