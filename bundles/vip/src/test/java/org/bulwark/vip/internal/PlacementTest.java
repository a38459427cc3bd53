package org.bulwark.vip.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Optional;
import org.bulwark.api.config.Vip;
import org.bulwark.api.net.NetException;
import org.bulwark.api.net.NetInterface;
import org.bulwark.api.net.VirtualAddress;
import org.junit.Test;

/** Where a {@code <virtual_addr>} goes (spec B.6), table-driven. */
public class PlacementTest {

  private static List<NetInterface> node() throws Exception {
    return new FakeNet()
        .device("lo", "127.0.0.1", 8)
        .device("eth0", "192.168.1.10", 24)
        .device("eth1", "10.0.0.10", 16)
        .device("bond0.1234", "172.16.0.10", 24)
        .device("eth2", "172.16.0.20", 24)
        .interfaces();
  }

  private static VirtualAddress place(
      Optional<String> name, String addr, Vip.Where where, Optional<String> netmask)
      throws Exception {
    Vip.Interface intf =
        new Vip.Interface(
            true,
            false,
            java.time.Duration.ofSeconds(60),
            java.time.Duration.ofSeconds(1200),
            name,
            false,
            Optional.empty(),
            Optional.empty(),
            List.of());
    return Placement.place(
        "mirror", intf, new Vip.Address(addr, where, true, false, netmask), node());
  }

  @Test
  public void placements() throws Exception {
    Object[][] table = {
      // interface@name, addr, where, netmask -> device prefix label
      {null, "192.168.1.100", Vip.Where.ONE_SIDE_ALIAS, null, "eth0 24 eth0:mirror"},
      {null, "10.0.200.1", Vip.Where.ONE_SIDE_ALIAS, null, "eth1 16 eth1:mirror"},
      {"eth0", "192.168.1.100", Vip.Where.ONE_SIDE, null, "eth0 24 - outbound"},
      {"eth0", "192.168.1.100", Vip.Where.ONE_SIDE_ALIAS, "255.255.255.128", "eth0 25 eth0:mirror"},
      {"eth0", "192.168.1.100", Vip.Where.ONE_SIDE_ALIAS, "26", "eth0 26 eth0:mirror"},
      // a network the interface is not on: a host address
      {"eth0", "192.168.7.1", Vip.Where.ONE_SIDE_ALIAS, null, "eth0 32 eth0:mirror"},
      // the label cut to 15 characters
      {
        "bond0.1234",
        "172.16.0.100",
        Vip.Where.ONE_SIDE_ALIAS,
        null,
        "bond0.1234 24 bond0.1234:mirr"
      },
      {"eth0", "fd00::10", Vip.Where.ONE_SIDE_ALIAS, null, "eth0 128 -"},
    };
    for (Object[] row : table) {
      VirtualAddress a =
          place(
              Optional.ofNullable((String) row[0]),
              (String) row[1],
              (Vip.Where) row[2],
              Optional.ofNullable((String) row[3]));
      assertEquals(
          java.util.Arrays.toString(row),
          row[4],
          a.device()
              + " "
              + a.prefixLength()
              + " "
              + a.label().orElse("-")
              + (a.outbound() ? " outbound" : ""));
    }
  }

  @Test
  public void refusals() throws Exception {
    Object[][] table = {
      {
        "eth9",
        "192.168.1.100",
        "no interface named 'eth9' on this node (interfaces: lo, eth0," + " eth1, bond0.1234, eth2)"
      },
      {
        null,
        "192.168.9.1",
        "no interface of this node is on the network of 192.168.9.1: name one"
            + " with <interface name=\"…\">"
      },
      {
        null,
        "172.16.0.100",
        "interfaces bond0.1234, eth2 are all on the network of 172.16.0.100:" + " name one"
      },
      {"eth0", "127.0.0.5", "127.0.0.5 cannot be a virtual address"},
      {"eth0", "fd00::1", "one_side is IPv4 only (fd00::1)", Vip.Where.ONE_SIDE},
    };
    for (Object[] row : table) {
      try {
        place(
            Optional.ofNullable((String) row[0]),
            (String) row[1],
            row.length > 3 ? (Vip.Where) row[3] : Vip.Where.ONE_SIDE_ALIAS,
            Optional.empty());
        fail(row[1] + " placed");
      } catch (NetException e) {
        assertEquals(row[2], e.getMessage());
      }
    }
  }

  @Test
  public void netmasks() throws Exception {
    assertEquals(24, Placement.prefixOf("255.255.255.0", "x"));
    assertEquals(0, Placement.prefixOf("0.0.0.0", "x"));
    try {
      Placement.prefixOf("255.0.255.0", "10.0.0.1");
      fail();
    } catch (NetException e) {
      assertEquals("netmask '255.0.255.0' is not contiguous (virtual IP 10.0.0.1)", e.getMessage());
    }
  }
}
