package org.bulwark.net.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.api.net.NetException;
import org.junit.Test;

/**
 * A node whose process dies (its libnftables context closes, as at kill -9) while its kernel keeps
 * running, with the VIP and the application's sockets still there: its filter goes with the
 * process, its guard stays and silences the VIP (docs/vip.md, "A dead node drops its VIP's
 * traffic"); its peer, holding every bucket, serves every client.
 */
public class DeadNodeFilterTest extends FarmTestBase {
  @Test
  public void aDeadNodesKernelTakesNothingAndAnswersNoArpForTheVip() throws Exception {
    farm = new FarmLab(1);
    farm.holdVip(true);
    farm.serveTcp(ON_ADDR_TCP);
    farm.serveUdp(ON_IPID_UDP);
    currentSplit = split();
    program(currentSplit);

    // n2's process dies: the kernel deletes the table its context owned, the guard stays
    farm.filters.get("n2").close();
    String tables = farm.lab.exec("n2", "nft", "list", "tables");
    assertFalse(tables, tables.contains("table netdev bulwark_farm_hweb_d1\n"));
    assertTrue(tables, tables.contains("table netdev bulwark_farm_hweb_d1_guard"));
    // its peer takes every bucket
    currentSplit = Map.of("n1", BucketSet.ALL, "n2", BucketSet.EMPTY);
    farm.filters.get("n1").apply(table(BucketSet.ALL, true));

    // n2's listening sockets are still there: without the guard it would take its old clients
    // (and, with no application, reset them); with it, every client reaches n1 alone
    Map<String, String> expected = new LinkedHashMap<>();
    expected.putAll(connect(ON_ADDR_TCP, clientAliases(32), 2, false, null));
    expected.putAll(datagrams(ON_IPID_UDP, 300, 0, i -> 1 + random.nextInt(65535), false));
    expect(expected);

    // ARP: n2 no longer rewrites its answers to the virtual MAC, and must not answer at all
    String n2mac =
        farm.addresses.get("n2").find("eth0").orElseThrow().mac().orElseThrow().toString();
    for (int i = 0; i < 10; i++) {
      farm.lab.ip("c0", "neigh", "flush", "dev", "eth0");
      LabNet.connect(farm.clients.get(0), new InetSocketAddress(farm.vip, ON_ADDR_TCP)).close();
      String neigh = farm.lab.ip("c0", "neigh", "show", farm.vip.getHostAddress());
      assertTrue(neigh, neigh.contains(farm.vmac.toString()));
      assertFalse(neigh, neigh.contains(n2mac));
    }

    // a client sending to n2's own MAC (an entry learnt before) meets silence: no answer, no reset
    farm.lab.ip(
        "c0",
        "neigh",
        "replace",
        farm.vip.getHostAddress(),
        "lladdr",
        n2mac,
        "dev",
        "eth0",
        "nud",
        "permanent");
    farm.seen.clear();
    try (SocketChannel ch =
        LabNet.connect(
            farm.clients.get(0),
            new InetSocketAddress(farm.vip, ON_ADDR_TCP),
            farm.clientAddresses.get(0),
            1000)) {
      fail("n2 answered " + ch);
    } catch (SocketTimeoutException expectedTimeout) {
      // silence: the SYN was dropped before n2's IP stack
    }
    assertTrue(farm.seen.toString(), farm.seen.isEmpty());
    farm.lab.ip("c0", "neigh", "del", farm.vip.getHostAddress(), "dev", "eth0");

    // n2 starts again: its leftovers are cleaned, it gets its share back
    NftPacketFilter restarted = new NftPacketFilter(farm.nodes.get("n2"));
    farm.filters.put("n2", restarted);
    assertTrue("the guard was left", restarted.cleanLeftovers(MODULE));
    assertFalse(farm.lab.exec("n2", "nft", "list", "tables").contains("bulwark"));
    currentSplit = split();
    program(currentSplit);
    farm.seen.clear();
    expect(connect(ON_ADDR_TCP, clientAliasesFrom(100, 32), 2, false, null));
  }

  @Test
  public void onlyTheOwningContextChangesTheFilter() throws Exception {
    farm = new FarmLab(0);
    farm.holdVip(true);
    farm.filters.get("n1").apply(table(BucketSet.ALL, true));
    NftPacketFilter other = new NftPacketFilter(farm.nodes.get("n1"));
    try {
      other.apply(table(BucketSet.EMPTY, true));
      fail("another context replaced the filter");
    } catch (NetException e) {
      assertTrue(e.getMessage(), e.getMessage().contains("programming the filter of module"));
    } finally {
      other.close();
    }
    assertEquals(
        Map.of("web_0", BucketSet.ALL), farm.filters.get("n1").view(MODULE).orElseThrow().groups());
    // the owner replaces it again and again, then removes both tables
    for (int i = 0; i < 3; i++) {
      farm.filters.get("n1").apply(table(Buckets.range(0, 10 * i), true));
    }
    assertTrue(farm.filters.get("n1").remove(MODULE));
    assertFalse(farm.lab.exec("n1", "nft", "list", "tables").contains("bulwark"));
  }

  private List<java.net.Inet4Address> clientAliasesFrom(int first, int n) throws IOException {
    List<java.net.Inet4Address> out = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      String a = "10.88.3." + (first + i);
      farm.lab.ip("c0", "addr", "add", a + "/16", "dev", "eth0");
      out.add((java.net.Inet4Address) java.net.InetAddress.getByName(a));
    }
    return out;
  }
}
