package org.bulwark.net.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bulwark.api.net.MacAddress;
import org.bulwark.api.net.VirtualAddress;

/**
 * A farm on a switch, in namespaces of its own: nodes {@code n1}, {@code n2} and clients {@code
 * c0}…, each with {@code eth0} on the bridge {@code br0} of namespace {@code sw}. Every node holds
 * the VIP; servers on the nodes record which node got each client ({@link #seen}).
 */
final class FarmLab implements AutoCloseable {
  static final List<String> NODES = List.of("n1", "n2");
  final Inet4Address vip;
  final MacAddress vmac;
  final NetLab lab = new NetLab();
  final Map<String, Netns> nodes = new LinkedHashMap<>();
  final Map<String, NetlinkAddressManager> addresses = new LinkedHashMap<>();
  final Map<String, NftPacketFilter> filters = new LinkedHashMap<>();
  final List<Netns> clients = new ArrayList<>();
  final List<Inet4Address> clientAddresses = new ArrayList<>();

  /** Per key ("tcp/80/10.88.1.1:40000", "udp/53/17"), the nodes that received it. */
  final Map<String, List<String>> seen = new ConcurrentHashMap<>();

  /** Per node and key, the server side of each TCP connection. */
  final Map<String, SocketChannel> accepted = new ConcurrentHashMap<>();

  private final List<AutoCloseable> servers = Collections.synchronizedList(new ArrayList<>());

  FarmLab(int clientCount) throws IOException {
    vip = (Inet4Address) InetAddress.getByName("10.88.0.100");
    vmac = MacAddress.forVip(vip);
    try {
      lab.add("sw");
      lab.ip("sw", "link", "add", "br0", "type", "bridge");
      lab.ip("sw", "link", "set", "br0", "up");
      int n = 1;
      for (String node : NODES) {
        lab.add(node);
        lab.link("sw", "p" + node, node, "eth0");
        lab.ip("sw", "link", "set", "p" + node, "master", "br0");
        lab.ip(node, "addr", "add", "10.88.0." + n++ + "/16", "dev", "eth0");
        Netns ns = lab.thread(node);
        nodes.put(node, ns);
        addresses.put(node, new NetlinkAddressManager(ns));
        filters.put(node, new NftPacketFilter(ns));
      }
      for (int c = 0; c < clientCount; c++) {
        String role = "c" + c;
        lab.add(role);
        lab.link("sw", "p" + role, role, "eth0");
        lab.ip("sw", "link", "set", "p" + role, "master", "br0");
        String a = "10.88.1." + (c + 1);
        lab.ip(role, "addr", "add", a + "/16", "dev", "eth0");
        clients.add(lab.thread(role));
        clientAddresses.add((Inet4Address) InetAddress.getByName(a));
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Puts the VIP on every node's eth0; in vmac_invisible mode, eth0 goes promiscuous. */
  void holdVip(boolean invisible) throws IOException {
    for (String node : NODES) {
      addresses.get(node).add(VirtualAddress.of("eth0", vip, 16).withAlias("bw"));
      if (invisible) {
        addresses.get(node).setPromiscuous("eth0", true);
      }
    }
  }

  /** A TCP server on VIP:port on every node. */
  void serveTcp(int port) throws IOException {
    for (String node : NODES) {
      ServerSocketChannel server = LabNet.in(nodes.get(node), ServerSocketChannel::open);
      servers.add(server);
      server.bind(new InetSocketAddress(vip, port), 1024);
      Thread t =
          new Thread(
              () -> {
                try {
                  while (true) {
                    SocketChannel ch = server.accept();
                    InetSocketAddress from = (InetSocketAddress) ch.getRemoteAddress();
                    String key = tcpKey(port, from.getAddress(), from.getPort());
                    accepted.put(node + "/" + key, ch);
                    servers.add(ch);
                    record(key, node);
                  }
                } catch (ClosedChannelException e) {
                  // the lab closes
                } catch (IOException e) {
                  record("error/" + node + "/" + e, node);
                }
              },
              "accept-" + node + "-" + port);
      t.setDaemon(true);
      t.start();
    }
  }

  /** A UDP server on VIP:port on every node; a datagram's key is its 4-byte payload. */
  void serveUdp(int port) throws IOException {
    for (String node : NODES) {
      DatagramChannel server = LabNet.in(nodes.get(node), DatagramChannel::open);
      servers.add(server);
      server.bind(new InetSocketAddress(vip, port));
      Thread t =
          new Thread(
              () -> {
                ByteBuffer b = ByteBuffer.allocate(64);
                try {
                  while (true) {
                    b.clear();
                    server.receive(b);
                    record(udpKey(port, b.getInt(0)), node);
                  }
                } catch (ClosedChannelException e) {
                  // the lab closes
                } catch (IOException e) {
                  record("error/" + node + "/" + e, node);
                }
              },
              "udp-" + node + "-" + port);
      t.setDaemon(true);
      t.start();
    }
  }

  static String tcpKey(int port, InetAddress client, int clientPort) {
    return "tcp/" + port + "/" + client.getHostAddress() + ":" + clientPort;
  }

  static String udpKey(int port, int seq) {
    return "udp/" + port + "/" + seq;
  }

  private void record(String key, String node) {
    seen.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(node);
  }

  /** The nodes that got {@code key}, empty when none did (yet). */
  List<String> seenBy(String key) {
    List<String> l = seen.get(key);
    return l == null ? List.of() : List.copyOf(l);
  }

  @Override
  public void close() throws IOException {
    synchronized (servers) {
      for (AutoCloseable s : servers) {
        try {
          s.close();
        } catch (Exception e) {
          // closing anyway
        }
      }
    }
    filters.values().forEach(NftPacketFilter::close);
    lab.close();
  }
}
