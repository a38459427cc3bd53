package org.bulwark.checker.ip.internal;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.net.AddressManager;
import org.bulwark.api.net.MacAddress;
import org.bulwark.api.net.NetException;
import org.junit.Test;

/**
 * {@link IpChecker#present}: the address on an interface, and for IPv4 no other holder answering an
 * ARP probe — except a loopback address, which no other host can hold and whose interface takes no
 * ARP probe (the stock example {@code ip.safe} watches 127.0.0.1).
 */
public class IpCheckerTest {

  /**
   * An address manager holding {@code holders} (address to device) whose ARP probe answers {@code
   * others}, or fails when {@code others} is null.
   */
  private static AddressManager net(Map<String, String> holders, List<MacAddress> others) {
    return (AddressManager)
        Proxy.newProxyInstance(
            AddressManager.class.getClassLoader(),
            new Class<?>[] {AddressManager.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "holder" ->
                      Optional.ofNullable(holders.get(((InetAddress) args[0]).getHostAddress()));
                  case "probe" -> {
                    if (others == null) {
                      throw new NetException("cannot probe on " + args[0]);
                    }
                    yield others;
                  }
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  @Test
  public void aLoopbackAddressIsUpWithoutAnArpProbe() {
    IpChecker checker = new IpChecker(net(Map.of("127.0.0.1", "lo"), null));
    assertEquals(ProbeResult.up("127.0.0.1 on lo"), checker.present("127.0.0.1"));
  }

  @Test
  public void anAddressOnAnInterfaceIsProbedForAnotherHolder() throws Exception {
    MacAddress other = MacAddress.parse("52:54:00:12:34:56");
    Map<String, String> eth0 = Map.of("10.0.0.100", "eth0");
    assertEquals(
        ProbeResult.up("10.0.0.100 on eth0"),
        new IpChecker(net(eth0, List.of())).present("10.0.0.100"));
    assertEquals(
        ProbeResult.down("10.0.0.100 is also held by [" + other + "] on eth0"),
        new IpChecker(net(eth0, List.of(other))).present("10.0.0.100"));
    assertEquals(
        ProbeResult.down("10.0.0.100 not checked: cannot probe on eth0"),
        new IpChecker(net(eth0, null)).present("10.0.0.100"));
    assertEquals(
        ProbeResult.down("10.0.0.101 is not on any interface of this node"),
        new IpChecker(net(eth0, List.of())).present("10.0.0.101"));
  }
}
