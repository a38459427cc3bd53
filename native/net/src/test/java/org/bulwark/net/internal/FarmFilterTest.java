package org.bulwark.net.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.api.net.BucketHash;
import org.junit.Test;

/**
 * The farm filter in {@code vmac_invisible} mode with real packets (spec D.3): every node gets
 * every frame, each keeps the clients of its buckets; atomic replacement.
 */
public class FarmFilterTest extends FarmTestBase {
  @Test
  public void eachClientReachesExactlyTheNodeHoldingItsBucket() throws Exception {
    farm = new FarmLab(1);
    farm.holdVip(true);
    farm.serveTcp(ON_ADDR_TCP);
    farm.serveTcp(ON_PORT_TCP);
    farm.serveUdp(ON_IPID_UDP);
    farm.serveUdp(ON_ADDR_UDP);
    currentSplit = split();
    System.out.println("n1 buckets " + currentSplit.get("n1"));
    program(currentSplit);

    Map<String, String> expected = new LinkedHashMap<>();
    expected.putAll(connect(ON_ADDR_TCP, clientAliases(48), 3, false, null));
    // vmac_invisible: every node answered the client's ARP with the virtual MAC
    String neigh = farm.lab.ip("c0", "neigh", "show", farm.vip.getHostAddress());
    assertTrue(neigh, neigh.contains(farm.vmac.toString()));
    expected.putAll(connect(ON_PORT_TCP, List.of(farm.clientAddresses.get(0)), 400, true, null));
    expected.putAll(datagrams(ON_IPID_UDP, 600, 0, i -> 1 + random.nextInt(65535), false));
    expected.putAll(datagrams(ON_ADDR_UDP, 600, 0, i -> 1 + i, true));
    expect(expected);
    long toN1 = expected.values().stream().filter("n1"::equals).count();
    System.out.println(expected.size() + " checked, " + toN1 + " to n1");
    assertTrue("both nodes took a share", toN1 > 0 && toN1 < expected.size());
  }

  @Test
  public void atomicReplaceMovesOnlyTheChangedBuckets() throws Exception {
    farm = new FarmLab(1);
    farm.holdVip(true);
    farm.serveTcp(ON_PORT_TCP);
    farm.serveUdp(ON_IPID_UDP);
    Map<String, BucketSet> before = split();
    currentSplit = before;
    program(before);
    List<SocketChannel> open = new ArrayList<>();
    Map<String, String> first =
        connect(ON_PORT_TCP, List.of(farm.clientAddresses.get(0)), 200, true, open);
    expect(first);

    // about a quarter of the buckets change owner
    List<Integer> moved = new ArrayList<>();
    for (int b = 0; b < BucketSet.BUCKETS; b++) {
      if (random.nextInt(4) == 0) {
        moved.add(b);
      }
    }
    BucketSet m = BucketSet.of(moved.stream().mapToInt(Integer::intValue).toArray());
    BucketSet n1 = before.get("n1").minus(m).union(before.get("n2").intersect(m));
    Map<String, BucketSet> after = Map.of("n1", n1, "n2", BucketSet.ALL.minus(n1));
    currentSplit = after;
    program(after);

    // connections whose bucket kept its owner go on: a byte sent reaches the same server socket
    int kept = 0;
    for (SocketChannel c : open) {
      InetSocketAddress local = (InetSocketAddress) c.getLocalAddress();
      int bucket = BucketHash.ofPort(local.getPort());
      if (m.contains(bucket)) {
        continue;
      }
      kept++;
      String node = owner(after, bucket);
      String key = FarmLab.tcpKey(ON_PORT_TCP, local.getAddress(), local.getPort());
      c.write(ByteBuffer.wrap(new byte[] {7}));
      SocketChannel server = farm.accepted.get(node + "/" + key);
      server.socket().setSoTimeout((int) LIMIT.toMillis());
      assertEquals(key + " (seed " + seed + ")", 7, server.socket().getInputStream().read());
    }
    assertTrue("some connections kept their node", kept > 0);
    for (SocketChannel c : open) {
      c.close();
    }
    // new clients follow the new split (their ports may be those of the first clients: a new
    // record)
    farm.seen.clear();
    Map<String, String> expected = new LinkedHashMap<>();
    expected.putAll(connect(ON_PORT_TCP, List.of(farm.clientAddresses.get(0)), 200, true, null));
    expected.putAll(datagrams(ON_IPID_UDP, 300, 0, i -> 1 + random.nextInt(65535), false));
    expect(expected);
  }

  @Test
  public void replacingTheTableLeavesNoMomentWithoutFilter() throws Exception {
    // n2 replaces its table again and again while n1's clients send: had a replacement a moment
    // with no table, n2 would take some of n1's datagrams
    farm = new FarmLab(1);
    farm.holdVip(true);
    farm.serveUdp(ON_IPID_UDP);
    currentSplit = split();
    program(currentSplit);
    AtomicBoolean sending = new AtomicBoolean(true);
    AtomicInteger replaced = new AtomicInteger();
    AtomicReference<Exception> failed = new AtomicReference<>();
    Thread replacer =
        new Thread(
            () -> {
              try {
                while (sending.get()) {
                  farm.filters.get("n2").apply(table(currentSplit.get("n2"), true));
                  replaced.incrementAndGet();
                }
              } catch (Exception e) {
                failed.set(e);
              }
            });
    replacer.start();
    List<Integer> n1Ids = new ArrayList<>();
    for (int id = 1; n1Ids.size() < 64; id++) {
      if (currentSplit.get("n1").contains(BucketHash.ofIpId(id))) {
        n1Ids.add(id);
      }
    }
    Map<String, String> expected;
    try {
      expected = datagrams(ON_IPID_UDP, 3000, 0, i -> n1Ids.get(i % n1Ids.size()), false);
    } finally {
      sending.set(false);
      replacer.join();
    }
    if (failed.get() != null) {
      throw failed.get();
    }
    System.out.println("n2's table replaced " + replaced.get() + " times during the datagrams");
    assertTrue("replaced while sending", replaced.get() > 5);
    expect(expected);
  }
}
