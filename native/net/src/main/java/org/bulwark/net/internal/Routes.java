package org.bulwark.net.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bulwark.api.net.AddressText;
import org.bulwark.api.net.NetException;

/**
 * The preferred source of IPv4 routes ({@code where="one_side"}): the routes of the main table
 * through an interface are replaced with the VIP as {@code src}, so outgoing connections use it;
 * before the VIP goes they are given the interface's own address back (the kernel would otherwise
 * delete every route whose source disappears — the default route among them).
 */
final class Routes {
  private static final int RTM_NEWROUTE = 24;
  private static final int RTM_GETROUTE = 26;
  private static final int NLM_F_REPLACE = 0x100;
  private static final int RT_TABLE_MAIN = 254;
  private static final int RTN_UNICAST = 1;
  private static final int RTA_OIF = 4;
  private static final int RTA_PREFSRC = 7;
  private static final int RTA_MULTIPATH = 9;
  private static final int RTA_TABLE = 15;

  /**
   * What a route is identified and rebuilt by: dst, oif, gateway, priority, metrics, table, pref.
   */
  private static final int[] KEPT = {1, 4, 5, 6, 8, 15, 20};

  private Routes() {}

  /** One route: its {@code struct rtmsg} and attributes. */
  record Route(byte[] header, Map<Integer, byte[]> attrs) {
    Optional<InetAddress> preferredSource() {
      byte[] a = attrs.get(RTA_PREFSRC);
      try {
        return a == null ? Optional.empty() : Optional.of(InetAddress.getByAddress(a));
      } catch (UnknownHostException e) {
        return Optional.empty();
      }
    }
  }

  /** The unicast single-path IPv4 routes of the main table through interface {@code index}. */
  static List<Route> through(int index) throws NetException {
    List<Route> out = new ArrayList<>();
    try (Netlink nl = Netlink.open(Netlink.NETLINK_ROUTE)) {
      NlMessage dump =
          new NlMessage(RTM_GETROUTE, NlMessage.NLM_F_REQUEST | NlMessage.NLM_F_DUMP)
              .u8(Libc.AF_INET)
              .raw(new byte[11]);
      for (Netlink.Reply r : nl.dump(dump, "listing routes")) {
        ByteBuffer b = r.body();
        if (r.type() != RTM_NEWROUTE || b.limit() < 12) {
          continue;
        }
        byte[] header = new byte[12];
        b.get(0, header);
        Map<Integer, byte[]> attrs = Netlink.attributes(b, 12);
        int table = attrs.containsKey(RTA_TABLE) ? u32(attrs.get(RTA_TABLE)) : header[4] & 0xff;
        if (table == RT_TABLE_MAIN
            && (header[7] & 0xff) == RTN_UNICAST
            && !attrs.containsKey(RTA_MULTIPATH)
            && attrs.containsKey(RTA_OIF)
            && u32(attrs.get(RTA_OIF)) == index) {
          out.add(new Route(header, attrs));
        }
      }
    }
    return out;
  }

  /** Replaces {@code route} with {@code source} as its preferred source. */
  static void setPreferredSource(Route route, InetAddress source, String device)
      throws NetException {
    NlMessage m =
        new NlMessage(RTM_NEWROUTE, NlMessage.NLM_F_REQUEST | NlMessage.NLM_F_ACK | NLM_F_REPLACE)
            .raw(route.header());
    for (int type : KEPT) {
      byte[] v = route.attrs().get(type);
      if (v != null) {
        m.attr(type, v);
      }
    }
    m.attr(RTA_PREFSRC, source.getAddress());
    try (Netlink nl = Netlink.open(Netlink.NETLINK_ROUTE)) {
      nl.request(
          m, "setting the source of the routes of " + device + " to " + AddressText.of(source));
    }
  }

  private static int u32(byte[] b) {
    return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt();
  }
}
