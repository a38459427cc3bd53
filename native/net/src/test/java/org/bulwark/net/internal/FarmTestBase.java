package org.bulwark.net.internal;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.bulwark.api.config.Vip;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.api.net.BucketHash;
import org.bulwark.api.net.BucketView;
import org.bulwark.api.net.FilterGroup;
import org.bulwark.api.net.FilterRule;
import org.bulwark.api.net.FilterTable;
import org.bulwark.api.net.VirtualMac;
import org.junit.After;
import org.junit.Before;

/**
 * Two farm nodes behind a switch ({@link FarmLab}) and the traffic helpers of the filter tests:
 * clients send TCP connections and UDP datagrams with many source addresses, ports and IP ids; each
 * must reach exactly the node whose buckets contain the bucket {@link BucketHash} computes in Java
 * — which proves the Java hash is the kernel's.
 *
 * <p>The split of the buckets is random: the seed is printed, {@code -Dnet.seed=N} replays it.
 */
abstract class FarmTestBase {
  static final Duration LIMIT = Duration.ofSeconds(20);
  static final String MODULE = "farm-web.1";
  static final int ON_ADDR_TCP = 80;
  static final int ON_PORT_TCP = 81;
  static final int ON_IPID_UDP = 53;
  static final int ON_ADDR_UDP = 54;

  long seed;
  Random random;
  FarmLab farm;

  @Before
  public void setUp() {
    seed = Long.getLong("net.seed", System.nanoTime());
    System.out.println(
        getClass().getSimpleName() + " seed " + seed + " (replay with -Dnet.seed=" + seed + ")");
    random = new Random(seed);
  }

  @After
  public void tearDown() throws IOException {
    if (farm != null) {
      farm.close();
    }
  }

  /** A random split of the 256 buckets between n1 and n2 (neither empty). */
  Map<String, BucketSet> split() {
    List<Integer> n1 = new ArrayList<>();
    for (int b = 0; b < BucketSet.BUCKETS; b++) {
      if (random.nextBoolean()) {
        n1.add(b);
      }
    }
    BucketSet one = BucketSet.of(n1.stream().mapToInt(Integer::intValue).toArray());
    return Map.of("n1", one, "n2", BucketSet.ALL.minus(one));
  }

  static FilterRule rule(int port, Vip.Proto proto, Vip.Filter key, InetAddress vip) {
    return new FilterRule("eth0", vip, OptionalInt.of(port), proto, key);
  }

  FilterTable table(BucketSet buckets, boolean invisible) {
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

  void program(Map<String, BucketSet> split) throws Exception {
    for (String node : FarmLab.NODES) {
      farm.filters.get(node).apply(table(split.get(node), true));
      BucketView view = farm.filters.get(node).view(MODULE).orElseThrow();
      assertEquals(Map.of("web_0", split.get(node)), view.groups());
    }
  }

  static String owner(Map<String, BucketSet> split, int bucket) {
    return split.get("n1").contains(bucket) ? "n1" : "n2";
  }

  /** Waits until every key is seen, then checks each was seen once, by the expected node. */
  void expect(Map<String, String> expected) throws Exception {
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

  int fenceSeq = -1;

  /**
   * One datagram per node, sent after everything else, keyed by an IP id the node owns: once both
   * are received, both nodes' filters have decided on every earlier packet (a switch and a queue
   * keep order), so a duplicate would have been seen.
   */
  void fence() throws Exception {
    Map<String, BucketSet> split = currentSplit;
    Map<String, String> fences = new LinkedHashMap<>();
    try (RawUdp raw = RawUdp.open(farm.clients.get(0))) {
      for (String node : FarmLab.NODES) {
        if (split.get(node).isEmpty()) {
          continue; // a dead node: nothing reaches it
        }
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

  Map<String, BucketSet> currentSplit;

  /** TCP connections to {@code port}; the expected node of each by {@code bucketOf}. */
  Map<String, String> connect(
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
  Map<String, String> datagrams(
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

  List<Inet4Address> clientAliases(int n) throws Exception {
    List<Inet4Address> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String a = "10.88.2." + (i + 1);
      farm.lab.ip("c0", "addr", "add", a + "/16", "dev", "eth0");
      out.add((Inet4Address) InetAddress.getByName(a));
    }
    return out;
  }

  void acceptInto(String node, ServerSocketChannel server, int port) {
    Thread t =
        new Thread(
            () -> {
              try (server) {
                while (true) {
                  SocketChannel ch = server.accept();
                  InetSocketAddress from = (InetSocketAddress) ch.getRemoteAddress();
                  farm.seen
                      .computeIfAbsent(
                          FarmLab.tcpKey(port, from.getAddress(), from.getPort()),
                          k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                      .add(node);
                  ch.close();
                }
              } catch (IOException e) {
                // the lab closes
              }
            });
    t.setDaemon(true);
    t.start();
  }
}
