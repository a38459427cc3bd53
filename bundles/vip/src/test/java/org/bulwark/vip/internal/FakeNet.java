package org.bulwark.vip.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bulwark.api.net.AddressManager;
import org.bulwark.api.net.MacAddress;
import org.bulwark.api.net.NetException;
import org.bulwark.api.net.NetInterface;
import org.bulwark.api.net.VirtualAddress;

/**
 * An {@link AddressManager} over interfaces held in memory: what the kernel would do, with every
 * call in {@link #calls} so that tests check the order of operations.
 */
final class FakeNet implements AddressManager {
  final List<String> calls = new ArrayList<>();
  final Map<String, List<NetInterface.Address>> addresses = new HashMap<>();
  final List<String> devices = new ArrayList<>();
  final List<MacAddress> otherHolders = new ArrayList<>();
  String refuseAdd;
  int connections = 2;

  FakeNet device(String name, String address, int prefix) throws Exception {
    if (!devices.contains(name)) {
      devices.add(name);
      addresses.put(name, new ArrayList<>());
    }
    addresses
        .get(name)
        .add(
            new NetInterface.Address(
                InetAddress.getByName(address), prefix, Optional.of(name), false));
    return this;
  }

  @Override
  public List<NetInterface> interfaces() {
    List<NetInterface> out = new ArrayList<>();
    int index = 1;
    for (String d : devices) {
      out.add(
          new NetInterface(
              d,
              index++,
              Optional.of(MacAddress.parse("02:00:00:00:00:0" + index)),
              true,
              true,
              false,
              addresses.get(d)));
    }
    return out;
  }

  @Override
  public Optional<NetInterface> find(String device) {
    return interfaces().stream().filter(i -> i.name().equals(device)).findFirst();
  }

  @Override
  public Optional<NetInterface> interfaceFor(InetAddress vip) {
    throw new UnsupportedOperationException("the vip bundle places addresses itself");
  }

  @Override
  public Optional<String> holder(InetAddress address) {
    for (String d : devices) {
      if (addresses.get(d).stream().anyMatch(a -> a.address().equals(address))) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  boolean has(String device, String address) throws Exception {
    InetAddress a = InetAddress.getByName(address);
    return addresses.get(device).stream().anyMatch(x -> x.address().equals(a));
  }

  @Override
  public boolean add(VirtualAddress va) throws NetException {
    calls.add(
        "add "
            + va.address().getHostAddress()
            + "/"
            + va.prefixLength()
            + " "
            + va.label()
            + (va.outbound() ? " outbound" : ""));
    if (va.address().getHostAddress().equals(refuseAdd)) {
      throw new NetException(17, "refused by the test");
    }
    if (holder(va.address()).isPresent()) {
      return false;
    }
    addresses
        .get(va.device())
        .add(new NetInterface.Address(va.address(), va.prefixLength(), va.label(), true));
    return true;
  }

  @Override
  public boolean remove(VirtualAddress va) {
    calls.add("remove " + va.address().getHostAddress() + "/" + va.prefixLength());
    return addresses.get(va.device()).removeIf(a -> a.address().equals(va.address()));
  }

  @Override
  public void announce(String device, Inet4Address vip, Optional<MacAddress> mac) {
    calls.add("announce " + vip.getHostAddress());
  }

  @Override
  public void announce(String device, Inet6Address vip, Optional<MacAddress> mac) {
    calls.add("announce " + vip.getHostAddress());
  }

  @Override
  public List<MacAddress> probe(String device, Inet4Address address, Duration wait) {
    calls.add("probe " + address.getHostAddress());
    return otherHolders;
  }

  @Override
  public int resetConnections(InetAddress address) {
    calls.add("tcpreset " + address.getHostAddress());
    return connections;
  }

  @Override
  public int countConnections(InetAddress address) {
    return connections;
  }

  @Override
  public void setPromiscuous(String device, boolean on) {
    calls.add("promiscuous " + device + " " + on);
  }
}
