package org.bulwark.api.net;

import static org.junit.Assert.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.Test;

/** RFC 5952's examples, each from a form Java accepts to the one the RFC recommends. */
public class AddressTextTest {
  private static final String[][] CASES = {
    // §4.1: leading zeros suppressed
    {"2001:0db8::0001", "2001:db8::1"},
    // §4.2.1: :: shortens as much as possible
    {"2001:db8:0:0:0:0:2:1", "2001:db8::2:1"},
    {"2001:db8:0:0:0:0:0:1", "2001:db8::1"},
    // §4.2.2: not for a single zero field
    {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
    // §4.2.3: the longest run, the first of equal ones
    {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
    {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
    // §4.3: lower case
    {"2001:DB8::AAAA", "2001:db8::aaaa"},
    // §2 and around: every zero, loopback, runs at either end, no zero
    {"0:0:0:0:0:0:0:0", "::"},
    {"0:0:0:0:0:0:0:1", "::1"},
    {"1:0:0:0:0:0:0:0", "1::"},
    {"fd00:f6:0:0:0:0:0:64", "fd00:f6::64"},
    {"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"},
    {"1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0"},
    // IPv4 stays dotted
    {"192.0.2.1", "192.0.2.1"},
  };

  @Test
  public void theRfcsExamples() throws Exception {
    for (String[] c : CASES) {
      assertEquals(c[0], c[1], AddressText.of(InetAddress.getByName(c[0])));
    }
  }

  @Test
  public void mappedAddressesAreMixedAndZonesKept() throws Exception {
    // §5: Java turns ::ffff:a.b.c.d into an IPv4 address; an Inet6Address built from the bytes
    // keeps it IPv6
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};
    assertEquals("::ffff:192.0.2.1", AddressText.of(Inet6Address.getByAddress(null, mapped, -1)));
    assertEquals("fe80::1%3", AddressText.of(InetAddress.getByName("fe80:0:0:0:0:0:0:1%3")));
  }

  @Test
  public void withAPortIpv6IsInBrackets() throws Exception {
    // §6
    assertEquals(
        "[2001:db8::1]:4800",
        AddressText.of(new InetSocketAddress(InetAddress.getByName("2001:db8:0:0:0:0:0:1"), 4800)));
    assertEquals(
        "192.0.2.1:4800",
        AddressText.of(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 4800)));
    assertEquals("node1:4800", AddressText.of(InetSocketAddress.createUnresolved("node1", 4800)));
  }
}
