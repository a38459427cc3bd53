package org.bulwark.net.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.net.AddressManager;
import org.bulwark.api.net.AddressText;
import org.bulwark.api.net.MacAddress;
import org.bulwark.api.net.NetException;
import org.bulwark.api.net.NetInterface;
import org.bulwark.api.net.VirtualAddress;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AddressManager} service: rtnetlink for interfaces and addresses, a packet socket for
 * ARP, sock_diag for TCP resets — system calls only, no child process. Also usable without OSGi:
 * {@code new NetlinkAddressManager()}.
 */
@Component(service = AddressManager.class)
public final class NetlinkAddressManager implements AddressManager {
  private static final Logger LOG = LoggerFactory.getLogger(NetlinkAddressManager.class);
  private static final byte[] UNSPECIFIED = new byte[4];

  private final Netns ns;

  public NetlinkAddressManager() {
    this(Netns.CURRENT);
  }

  NetlinkAddressManager(Netns ns) {
    this.ns = ns;
  }

  @Override
  public List<NetInterface> interfaces() throws NetException {
    return ns.call(Rtnl::interfaces);
  }

  @Override
  public Optional<NetInterface> find(String device) throws NetException {
    return interfaces().stream().filter(i -> i.name().equals(device)).findFirst();
  }

  @Override
  public Optional<NetInterface> interfaceFor(InetAddress vip) throws NetException {
    List<NetInterface> found = new ArrayList<>();
    for (NetInterface i : interfaces()) {
      for (NetInterface.Address a : i.addresses()) {
        int full = a.address() instanceof Inet4Address ? 32 : 128;
        if (a.prefixLength() < full
            && !a.address().equals(vip)
            && sameNetwork(a.address(), vip, a.prefixLength())) {
          found.add(i);
          break;
        }
      }
    }
    return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
  }

  @Override
  public Optional<String> holder(InetAddress address) throws NetException {
    for (NetInterface i : interfaces()) {
      if (i.addresses().stream().anyMatch(a -> a.address().equals(address))) {
        return Optional.of(i.name());
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean add(VirtualAddress va) throws NetException {
    List<String> problems = va.problems();
    if (!problems.isEmpty()) {
      throw new NetException(String.join("; ", problems));
    }
    String ip = AddressText.of(va.address());
    NetInterface intf = require(va.device(), "cannot set virtual IP " + ip);
    Optional<String> holder = holder(va.address());
    if (holder.isPresent() && !holder.get().equals(va.device())) {
      throw new NetException(
          Libc.EEXIST,
          "cannot set virtual IP "
              + ip
              + " on "
              + va.device()
              + ": already held by "
              + holder.get());
    }
    boolean added = holder.isEmpty();
    if (added) {
      ns.call(
          () -> {
            Rtnl.addAddress(intf.index(), va);
            return null;
          });
    } else {
      LOG.info("Virtual IP {} already on {} (left by a previous run): kept", ip, va.device());
    }
    if (va.outbound()) {
      ns.call(
          () -> {
            for (Routes.Route r : Routes.through(intf.index())) {
              if (!r.preferredSource().equals(Optional.of(va.address()))) {
                Routes.setPreferredSource(r, va.address(), va.device());
              }
            }
            return null;
          });
    }
    return added;
  }

  @Override
  public boolean remove(VirtualAddress va) throws NetException {
    NetInterface intf =
        require(va.device(), "cannot remove virtual IP " + AddressText.of(va.address()));
    // the kernel matches the prefix too: remove the address as it is held (a leftover of an older
    // configuration may have another netmask)
    Optional<NetInterface.Address> held =
        intf.addresses().stream().filter(a -> a.address().equals(va.address())).findFirst();
    if (held.isEmpty()) {
      return false;
    }
    VirtualAddress actual =
        new VirtualAddress(va.device(), va.address(), held.get().prefixLength(), Optional.empty());
    // one_side, whether this run or a killed one set it: the routes get the interface's own
    // address back first, or the kernel would delete them with the VIP
    Optional<InetAddress> own =
        intf.addresses().stream()
            .filter(a -> !a.secondary() && a.address() instanceof Inet4Address)
            .map(NetInterface.Address::address)
            .filter(a -> !a.equals(va.address()))
            .findFirst();
    if (own.isPresent()) {
      ns.call(
          () -> {
            for (Routes.Route r : Routes.through(intf.index())) {
              if (r.preferredSource().equals(Optional.of(va.address()))) {
                Routes.setPreferredSource(r, own.get(), va.device());
              }
            }
            return null;
          });
    }
    try {
      ns.call(
          () -> {
            Rtnl.deleteAddress(intf.index(), actual);
            return null;
          });
      return true;
    } catch (NetException e) {
      if (e.errno() == Libc.EADDRNOTAVAIL) {
        return false; // removed meanwhile
      }
      throw e;
    }
  }

  @Override
  public void announce(String device, Inet4Address vip, Optional<MacAddress> mac)
      throws NetException {
    NetInterface intf = require(device, "cannot announce " + AddressText.of(vip));
    MacAddress own = ownMac(intf);
    ns.call(
        () -> {
          try (ArpSocket s = ArpSocket.open(device, intf.index())) {
            s.sendRequest(own, mac.orElse(own), vip.getAddress(), vip);
          }
          return null;
        });
  }

  @Override
  public void announce(String device, Inet6Address vip, Optional<MacAddress> mac)
      throws NetException {
    NetInterface intf = require(device, "cannot announce " + AddressText.of(vip));
    MacAddress own = ownMac(intf);
    byte[] frame = NeighbourAdvert.frame(own, mac.orElse(own), vip);
    ns.call(
        () -> {
          NeighbourAdvert.send(device, intf.index(), frame);
          return null;
        });
  }

  @Override
  public List<MacAddress> probe(String device, Inet4Address address, Duration wait)
      throws NetException {
    NetInterface intf = require(device, "cannot probe " + AddressText.of(address));
    MacAddress own = ownMac(intf);
    return ns.call(
        () -> {
          List<MacAddress> out = new ArrayList<>();
          try (ArpSocket s = ArpSocket.open(device, intf.index())) {
            s.sendRequest(own, own, UNSPECIFIED, address);
            long deadline = System.nanoTime() + wait.toNanos();
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
              Optional<ArpSocket.Arp> arp = s.receive(Duration.ofNanos(left));
              if (arp.isEmpty()) {
                break;
              }
              ArpSocket.Arp a = arp.get();
              if (a.op() == ArpSocket.OP_REPLY
                  && a.senderIp().equals(address)
                  && !a.ethernetSource().equals(own)
                  && !out.contains(a.senderMac())) {
                out.add(a.senderMac());
              }
            }
          }
          return out;
        });
  }

  @Override
  public int resetConnections(InetAddress address) throws NetException {
    int n = ns.call(() -> SockDiag.destroyFrom(address));
    LOG.info("Reset {} TCP connections of {}", n, AddressText.of(address));
    return n;
  }

  @Override
  public int countConnections(InetAddress address) throws NetException {
    return ns.call(() -> SockDiag.countFrom(address));
  }

  @Override
  public void setPromiscuous(String device, boolean on) throws NetException {
    NetInterface intf = require(device, "cannot change promiscuous mode");
    ns.call(
        () -> {
          Rtnl.setPromiscuous(intf.index(), device, on);
          return null;
        });
  }

  private NetInterface require(String device, String what) throws NetException {
    return find(device)
        .orElseThrow(
            () -> new NetException(Libc.ENODEV, what + ": no interface named '" + device + "'"));
  }

  private static MacAddress ownMac(NetInterface intf) throws NetException {
    return intf.mac()
        .orElseThrow(
            () -> new NetException(intf.name() + " has no Ethernet address: ARP impossible"));
  }

  static boolean sameNetwork(InetAddress a, InetAddress b, int prefix) {
    byte[] x = a.getAddress();
    byte[] y = b.getAddress();
    if (x.length != y.length) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      int mask = 0x80 >>> (bit % 8);
      if ((x[bit / 8] & mask) != (y[bit / 8] & mask)) {
        return false;
      }
    }
    return true;
  }
}
