package org.bulwark.net.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bulwark.api.net.AddressText;
import org.bulwark.api.net.MacAddress;
import org.bulwark.api.net.NetException;
import org.bulwark.api.net.NetInterface;
import org.bulwark.api.net.VirtualAddress;

/**
 * rtnetlink requests of the address manager: links and addresses dumped, addresses added and
 * deleted, the promiscuous flag. Each call opens its own socket: they are rare (failover, not per
 * packet) and a socket per call keeps the driver free of shared state.
 */
final class Rtnl {
  private static final int RTM_NEWLINK = 16;
  private static final int RTM_GETLINK = 18;
  private static final int RTM_NEWADDR = 20;
  private static final int RTM_DELADDR = 21;
  private static final int RTM_GETADDR = 22;
  private static final int IFLA_ADDRESS = 1;
  private static final int IFLA_IFNAME = 3;
  private static final int IFA_ADDRESS = 1;
  private static final int IFA_LOCAL = 2;
  private static final int IFA_LABEL = 3;
  private static final int IFA_FLAGS = 8;
  private static final int IFA_F_SECONDARY = 0x01;
  private static final int IFA_F_NODAD = 0x02;
  private static final int IFF_UP = 0x1;
  private static final int IFF_RUNNING = 0x40;
  private static final int IFF_PROMISC = 0x100;
  private static final int ARPHRD_ETHER = 1;

  private Rtnl() {}

  /** Every interface with its addresses. */
  static List<NetInterface> interfaces() throws NetException {
    try (Netlink nl = Netlink.open(Netlink.NETLINK_ROUTE)) {
      List<Netlink.Reply> links =
          nl.dump(
              new NlMessage(RTM_GETLINK, NlMessage.NLM_F_REQUEST | NlMessage.NLM_F_DUMP)
                  .u8(0)
                  .u8(0)
                  .u16(0)
                  .u32(0)
                  .u32(0)
                  .u32(0),
              "listing interfaces");
      List<Netlink.Reply> addrs =
          nl.dump(
              new NlMessage(RTM_GETADDR, NlMessage.NLM_F_REQUEST | NlMessage.NLM_F_DUMP)
                  .u8(0)
                  .u8(0)
                  .u8(0)
                  .u8(0)
                  .u32(0),
              "listing addresses");
      List<NetInterface> out = new ArrayList<>();
      for (Netlink.Reply link : links) {
        if (link.type() != RTM_NEWLINK) {
          continue;
        }
        ByteBuffer b = link.body();
        int hwType = b.getShort(2) & 0xffff;
        int index = b.getInt(4);
        int flags = b.getInt(8);
        Map<Integer, byte[]> attrs = Netlink.attributes(b, 16);
        String name = cString(attrs.get(IFLA_IFNAME));
        byte[] hw = attrs.get(IFLA_ADDRESS);
        Optional<MacAddress> mac =
            hwType == ARPHRD_ETHER && hw != null && hw.length == 6
                ? Optional.of(MacAddress.of(hw))
                : Optional.empty();
        out.add(
            new NetInterface(
                name,
                index,
                mac,
                (flags & IFF_UP) != 0,
                (flags & IFF_RUNNING) != 0,
                (flags & IFF_PROMISC) != 0,
                addressesOf(index, addrs)));
      }
      return out;
    }
  }

  private static List<NetInterface.Address> addressesOf(int index, List<Netlink.Reply> addrs)
      throws NetException {
    List<NetInterface.Address> out = new ArrayList<>();
    for (Netlink.Reply r : addrs) {
      ByteBuffer b = r.body();
      if (r.type() != RTM_NEWADDR || b.getInt(4) != index) {
        continue;
      }
      int prefix = b.get(1) & 0xff;
      int flags = b.get(2) & 0xff;
      Map<Integer, byte[]> attrs = Netlink.attributes(b, 8);
      if (attrs.containsKey(IFA_FLAGS)) {
        flags = ByteBuffer.wrap(attrs.get(IFA_FLAGS)).order(ByteOrder.nativeOrder()).getInt();
      }
      byte[] raw = attrs.containsKey(IFA_LOCAL) ? attrs.get(IFA_LOCAL) : attrs.get(IFA_ADDRESS);
      if (raw == null) {
        continue;
      }
      InetAddress a;
      try {
        a = InetAddress.getByAddress(raw);
      } catch (UnknownHostException e) {
        throw new NetException("the kernel gave an address of " + raw.length + " bytes");
      }
      Optional<String> label = Optional.ofNullable(attrs.get(IFA_LABEL)).map(Rtnl::cString);
      out.add(new NetInterface.Address(a, prefix, label, (flags & IFA_F_SECONDARY) != 0));
    }
    return out;
  }

  /** Adds the address; EEXIST when the device already has it. */
  static void addAddress(int index, VirtualAddress va) throws NetException {
    String what =
        "adding " + AddressText.of(va.address()) + "/" + va.prefixLength() + " to " + va.device();
    NlMessage m =
        addressMessage(
            RTM_NEWADDR,
            NlMessage.NLM_F_REQUEST
                | NlMessage.NLM_F_ACK
                | NlMessage.NLM_F_CREATE
                | NlMessage.NLM_F_EXCL,
            index,
            va);
    va.label().ifPresent(l -> m.attrString(IFA_LABEL, l));
    try (Netlink nl = Netlink.open(Netlink.NETLINK_ROUTE)) {
      nl.request(m, what);
    }
  }

  /** Deletes the address; EADDRNOTAVAIL when the device does not have it. */
  static void deleteAddress(int index, VirtualAddress va) throws NetException {
    String what = "removing " + AddressText.of(va.address()) + " from " + va.device();
    try (Netlink nl = Netlink.open(Netlink.NETLINK_ROUTE)) {
      nl.request(
          addressMessage(RTM_DELADDR, NlMessage.NLM_F_REQUEST | NlMessage.NLM_F_ACK, index, va),
          what);
    }
  }

  private static NlMessage addressMessage(int type, int flags, int index, VirtualAddress va) {
    boolean v4 = va.address() instanceof Inet4Address;
    byte[] raw = va.address().getAddress();
    // struct ifaddrmsg: family, prefix length, flags, scope (universe), index
    NlMessage m =
        new NlMessage(type, flags)
            .u8(v4 ? Libc.AF_INET : Libc.AF_INET6)
            .u8(va.prefixLength())
            .u8(v4 ? 0 : IFA_F_NODAD) // a VIP taken over must answer at once: no DAD wait
            .u8(0)
            .u32(index);
    m.attr(IFA_LOCAL, raw);
    m.attr(IFA_ADDRESS, raw);
    return m;
  }

  /** Sets or clears {@code IFF_PROMISC}. */
  static void setPromiscuous(int index, String device, boolean on) throws NetException {
    try (Netlink nl = Netlink.open(Netlink.NETLINK_ROUTE)) {
      // struct ifinfomsg: family, pad, type, index, flags, change mask
      nl.request(
          new NlMessage(RTM_NEWLINK, NlMessage.NLM_F_REQUEST | NlMessage.NLM_F_ACK)
              .u8(0)
              .u8(0)
              .u16(0)
              .u32(index)
              .u32(on ? IFF_PROMISC : 0)
              .u32(IFF_PROMISC),
          (on ? "setting" : "clearing") + " promiscuous mode on " + device);
    }
  }

  private static String cString(byte[] b) {
    if (b == null) {
      return "";
    }
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.US_ASCII);
  }
}
