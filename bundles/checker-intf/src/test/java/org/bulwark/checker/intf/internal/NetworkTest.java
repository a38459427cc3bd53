package org.bulwark.checker.intf.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import org.junit.Test;

/** The network of an address (the ident of a generated {@code intf} checker, spec B.14). */
public class NetworkTest {
  private static InetAddress a(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  public void networks() throws Exception {
    String[][] table = {
      {"10.0.0.17", "24", "10.0.0.0"},
      {"10.0.0.17", "28", "10.0.0.16"},
      {"192.168.77.200", "16", "192.168.0.0"},
      {"172.16.5.4", "0", "0.0.0.0"},
      {"172.16.5.4", "32", "172.16.5.4"},
      {"fd00:1:2:3::9", "64", "fd00:1:2:3:0:0:0:0"},
    };
    for (String[] row : table) {
      assertEquals(
          row[0] + "/" + row[1],
          a(row[2]),
          IntfChecker.network(a(row[0]), Integer.parseInt(row[1])));
    }
    assertTrue(IntfChecker.sameNetwork(a("10.0.0.1"), a("10.0.0.100"), 24));
    assertFalse(IntfChecker.sameNetwork(a("10.0.0.1"), a("10.0.1.100"), 24));
    assertFalse(IntfChecker.sameNetwork(a("10.0.0.1"), a("::1"), 24));
  }
}
