package org.bulwark.net.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntUnaryOperator;
import org.bulwark.api.config.Vip;
import org.bulwark.api.net.BucketHash;
import org.bulwark.api.net.BucketSet;
import org.bulwark.api.net.BucketView;
import org.bulwark.api.net.FilterGroup;
import org.bulwark.api.net.FilterRule;
import org.bulwark.api.net.FilterTable;
import org.bulwark.api.net.VirtualMac;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The farm filter with real packets: two nodes hold the VIP behind one switch, each programmed with
 * its share of the buckets; clients send TCP connections and UDP datagrams with many source
 * addresses, ports and IP ids; each must reach exactly the node whose buckets contain the bucket
 * {@link BucketHash} computes in Java — which proves the Java hash is the kernel's.
 *
 * <p>The split of the buckets is random: the seed is printed, {@code -Dnet.seed=N} replays it.
 */
public class FarmFilterTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);
  private static final String MODULE = "farm-web.1";
  private static final int ON_ADDR_TCP = 80;
  private static final int ON_PORT_TCP = 81;
  private static final int ON_IPID_UDP = 53;
  private static final int ON_ADDR_UDP = 54;

  private long seed;
  private Random random;
  private FarmLab farm;

  @Before
  public void setUp() {
    seed = Long.getLong("net.seed", System.nanoTime());
    System.out.println("FarmFilterTest seed " + seed + " (replay with -Dnet.seed=" + seed + ")");
    random = new Random(seed);
  }

  @After
  public void tearDown() throws IOException {
    if (farm != null) {
      farm.close();
    }
  }

  /** A random split of the 256 buckets between n1 and n2 (neither empty). */
  private Map<String, BucketSet> split() {
    List<Integer> n1 = new ArrayList<>();
    for (int b = 0; b < BucketSet.BUCKETS; b++) {
      if (random.nextBoolean()) {
        n1.add(b);
      }
    }
    BucketSet one = BucketSet.of(n1.stream().mapToInt(Integer::intValue).toArray());
    return Map.of("n1", one, "n2", one.complement());
  }

  private static FilterRule rule(int port, Vip.Proto proto, Vip.Filter key, InetAddress vip) {
    return new FilterRule("eth0", vip, OptionalInt.of(port), proto, key);
  }

  private FilterTable table(BucketSet buckets, boolean invisible) {
    InetAddress vip = farm.vip;
    FilterGroup g =
        new FilterGroup(
            "web_0",
            buckets,
            List.of(
                rule(ON_ADDR_TCP, Vip.Proto.TCP, Vip.Filter.ON_ADDR, vip),
                rule(ON_PORT_TCP, Vip.Proto.TCP, Vip.Filter.ON_PORT, vip),
                rule(ON_IPID_UDP, Vip.Proto.UDP, Vip.Filter.ON_IPID, vip),
                rule(ON_ADDR_UDP, Vip.Proto.UDP, Vip.Filter.ON_ADDR, vip)));
    List<VirtualMac> vmacs =
        invisible ? List.of(new VirtualMac("eth0", farm.vmac, List.of(vip))) : List.of();
    return new FilterTable(MODULE, List.of(g), vmacs);
  }

  private void program(Map<String, BucketSet> split) throws Exception {
    for (String node : FarmLab.NODES) {
      farm.filters.get(node).apply(table(split.get(node), true));
      BucketView view = farm.filters.get(node).view(MODULE).orElseThrow();
      assertEquals(Map.of("web_0", split.get(node)), view.groups());
    }
  }

  private static String owner(Map<String, BucketSet> split, int bucket) {
    return split.get("n1").contains(bucket) ? "n1" : "n2";
  }

  /** Waits until every key is seen, then checks each was seen once, by the expected node. */
  private void expect(Map<String, String> expected) throws Exception {
    Await.until(
        LIMIT,
        "every packet reaches a node (seed " + seed + ")",
        () -> expected.keySet().stream().allMatch(k -> !farm.seenBy(k).isEmpty()));
    fence();
    for (Map.Entry<String, String> e : expected.entrySet()) {
      assertEquals(
          e.getKey() + " (seed " + seed + ")", List.of(e.getValue()), farm.seenBy(e.getKey()));
    }
    farm.seen.keySet().stream()
        .filter(k -> k.startsWith("error/"))
        .forEach(
            k -> {
              throw new AssertionError(k);
            });
  }

  private int fenceSeq = -1;

  /**
   * One datagram per node, sent after everything else, keyed by an IP id the node owns: once both
   * are received, both nodes' filters have decided on every earlier packet (a switch and a queue
   * keep order), so a duplicate would have been seen.
   */
  private void fence() throws Exception {
    Map<String, BucketSet> split = currentSplit;
    Map<String, String> fences = new LinkedHashMap<>();
    try (RawUdp raw = RawUdp.open(farm.clients.get(0))) {
      for (String node : FarmLab.NODES) {
        int id = 1;
        while (!split.get(node).contains(BucketHash.ofIpId(id))) {
          id++;
        }
        int seq = fenceSeq--;
        raw.send(farm.clientAddresses.get(0), 9999, farm.vip, ON_IPID_UDP, id, seq);
        fences.put(FarmLab.udpKey(ON_IPID_UDP, seq), node);
      }
    }
    Await.until(
        LIMIT,
        "the fences reach their nodes " + fences + " (seed " + seed + ")",
        () -> fences.keySet().stream().allMatch(k -> !farm.seenBy(k).isEmpty()));
  }

  private Map<String, BucketSet> currentSplit;

  /** TCP connections to {@code port}; the expected node of each by {@code bucketOf}. */
  private Map<String, String> connect(
      int port, List<Inet4Address> from, int perAddress, boolean byPort, List<SocketChannel> keep)
      throws Exception {
    Map<String, String> expected = new LinkedHashMap<>();
    for (Inet4Address a : from) {
      for (int i = 0; i < perAddress; i++) {
        SocketChannel ch =
            LabNet.connect(farm.clients.get(0), new InetSocketAddress(farm.vip, port), a);
        int local = ((InetSocketAddress) ch.getLocalAddress()).getPort();
        int bucket = byPort ? BucketHash.ofPort(local) : BucketHash.ofAddress(a);
        expected.put(FarmLab.tcpKey(port, a, local), owner(currentSplit, bucket));
        if (keep != null) {
          keep.add(ch);
        } else {
          ch.close();
        }
      }
    }
    return expected;
  }

  /** UDP datagrams in bursts; each burst waits until received before the next goes. */
  private Map<String, String> datagrams(
      int port, int count, int firstSeq, IntUnaryOperator ipId, boolean byAddress)
      throws Exception {
    Map<String, String> expected = new LinkedHashMap<>();
    try (RawUdp raw = RawUdp.open(farm.clients.get(0))) {
      Map<String, String> burst = new HashMap<>();
      for (int i = 0; i < count; i++) {
        int seq = firstSeq + i;
        int id = ipId.applyAsInt(i);
        Inet4Address src =
            byAddress
                ? (Inet4Address)
                    InetAddress.getByAddress(
                        new byte[] {
                          10,
                          88,
                          (byte) (128 + random.nextInt(127)),
                          (byte) (1 + random.nextInt(254))
                        })
                : farm.clientAddresses.get(0);
        int bucket = byAddress ? BucketHash.ofAddress(src) : BucketHash.ofIpId(id);
        raw.send(src, 5000 + i % 1000, farm.vip, port, id, seq);
        burst.put(FarmLab.udpKey(port, seq), owner(currentSplit, bucket));
        if (burst.size() == 64 || i == count - 1) {
          Await.until(
              LIMIT,
              "a burst of datagrams reaches the nodes (seed " + seed + ")",
              () -> burst.keySet().stream().allMatch(k -> !farm.seenBy(k).isEmpty()));
          expected.putAll(burst);
          burst.clear();
        }
      }
    }
    return expected;
  }

  private List<Inet4Address> clientAliases(int n) throws Exception {
    List<Inet4Address> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String a = "10.88.2." + (i + 1);
      farm.lab.ip("c0", "addr", "add", a + "/16", "dev", "eth0");
      out.add((Inet4Address) InetAddress.getByName(a));
    }
    return out;
  }

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
    Map<String, BucketSet> after = Map.of("n1", n1, "n2", n1.complement());
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
  public void arpRuleSendsEachClientToTheOwnerOfItsAddress() throws Exception {
    // vmac_directed: each node answers ARP with its own MAC; an arp rule lets only the owner of
    // the requester's bucket answer, so each client's traffic goes to that node alone
    int clients = 12;
    farm = new FarmLab(clients);
    farm.holdVip(false);
    farm.serveTcp(ON_ADDR_TCP);
    currentSplit = split();
    for (String node : FarmLab.NODES) {
      FilterGroup g =
          new FilterGroup(
              "web_0",
              currentSplit.get(node),
              List.of(
                  new FilterRule(
                      "eth0", farm.vip, OptionalInt.empty(), Vip.Proto.ARP, Vip.Filter.ON_ADDR),
                  rule(ON_ADDR_TCP, Vip.Proto.TCP, Vip.Filter.ON_ADDR, farm.vip)));
      farm.filters.get(node).apply(new FilterTable(MODULE, List.of(g), List.of()));
    }
    Map<String, String> macs = new HashMap<>();
    for (String node : FarmLab.NODES) {
      macs.put(
          node, farm.addresses.get(node).find("eth0").orElseThrow().mac().orElseThrow().toString());
    }
    Map<String, String> expected = new LinkedHashMap<>();
    for (int c = 0; c < clients; c++) {
      Inet4Address a = farm.clientAddresses.get(c);
      String node = owner(currentSplit, BucketHash.ofAddress(a));
      try (SocketChannel ch =
          LabNet.connect(farm.clients.get(c), new InetSocketAddress(farm.vip, ON_ADDR_TCP))) {
        expected.put(
            FarmLab.tcpKey(ON_ADDR_TCP, a, ((InetSocketAddress) ch.getLocalAddress()).getPort()),
            node);
      }
      String neigh = farm.lab.ip("c" + c, "neigh", "show", farm.vip.getHostAddress());
      assertTrue(
          "client " + a + " resolved the VIP to " + node + ": " + neigh + " (seed " + seed + ")",
          neigh.contains(macs.get(node)));
    }
    Await.until(
        LIMIT,
        "every connection is accepted",
        () -> expected.keySet().stream().allMatch(k -> !farm.seenBy(k).isEmpty()));
    for (Map.Entry<String, String> e : expected.entrySet()) {
      assertEquals(
          e.getKey() + " (seed " + seed + ")", List.of(e.getValue()), farm.seenBy(e.getKey()));
    }
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
