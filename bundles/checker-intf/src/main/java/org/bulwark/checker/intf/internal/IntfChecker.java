package org.bulwark.checker.intf.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.checker.CheckerProvider;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.checker.Watch;
import org.bulwark.api.config.Check;
import org.bulwark.api.config.Vip;
import org.bulwark.api.net.AddressManager;
import org.bulwark.api.net.AddressText;
import org.bulwark.api.net.NetException;
import org.bulwark.api.net.NetInterface;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code <intf>} (spec B.14): the interface holding {@code local_addr} must be up with a carrier
 * (its link: a cable unplugged, a switch port down, {@code ip link set … down}); resource {@code
 * intf.<ident>}, process {@code intfcheck}, in every running state (rule {@code interface_failure}:
 * wait). Every {@code <interface check="on">} of {@code <vip>} gets one too (the default), unless
 * an {@code <intf>} of the same ident exists: ident = the network of the interface's own address
 * that holds its first VIP ({@code 10.0.0.0}), {@code local_addr} = that address.
 */
@Component(service = CheckerProvider.class)
public final class IntfChecker implements CheckerProvider {
  static final String BY = "intfcheck";
  static final Duration INTERVAL = Duration.ofSeconds(10);
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final AddressManager net;

  @Activate
  public IntfChecker(@Reference AddressManager net) {
    this.net = net;
  }

  @Override
  public String type() {
    return "intf";
  }

  @Override
  public List<Watch> checks(CheckerContext context) {
    List<Watch> watches = new ArrayList<>();
    Set<String> idents = new HashSet<>();
    for (Check.Intf i : context.config().check().intf()) {
      idents.add(i.ident());
      watches.add(watch(i.ident(), i.localAddr()));
    }
    Optional<Vip> vip = context.config().vip();
    if (vip.isPresent()) {
      for (Vip.Interface itf : vip.get().interfaces()) {
        if (itf.check() && !itf.addresses().isEmpty()) {
          Local local = local(itf);
          if (idents.add(local.network())) {
            watches.add(watch(local.network(), local.address()));
          }
        }
      }
    }
    return watches;
  }

  /** A watch of the interface holding {@code localAddr}. */
  public Watch watch(String ident, String localAddr) {
    return Watch.of("intf." + ident, BY, Watch.PRE, INTERVAL, TIMEOUT, timeout -> link(localAddr));
  }

  /** This node's address on the network of an {@code <interface>}'s first VIP, and the network. */
  record Local(String address, String network) {}

  Local local(Vip.Interface itf) {
    String first = itf.addresses().get(0).addr();
    try {
      InetAddress vip = InetAddress.getByName(first);
      Optional<NetInterface> device =
          itf.name().isPresent() ? net.find(itf.name().get()) : net.interfaceFor(vip);
      if (device.isEmpty()) {
        throw new IllegalStateException(
            "<interface check=\"on\">: no interface of this node "
                + itf.name().map(n -> "named " + n).orElse("on the network of " + first));
      }
      for (NetInterface.Address a : device.get().addresses()) {
        int bits = a.address().getAddress().length * 8;
        if (a.prefixLength() < bits && sameNetwork(a.address(), vip, a.prefixLength())) {
          return new Local(
              AddressText.of(a.address()), AddressText.of(network(a.address(), a.prefixLength())));
        }
      }
      throw new IllegalStateException(
          "<interface check=\"on\">: "
              + device.get().name()
              + " has no address of its own on the network of "
              + first);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("<interface check=\"on\">: " + first + " does not resolve");
    } catch (NetException e) {
      throw new IllegalStateException("<interface check=\"on\">: " + e.getMessage());
    }
  }

  /** Up when the interface holding {@code localAddr} is up and has a carrier. */
  ProbeResult link(String localAddr) {
    InetAddress local;
    try {
      local = InetAddress.getByName(localAddr);
    } catch (UnknownHostException e) {
      return ProbeResult.down(localAddr + " does not resolve");
    }
    List<NetInterface> interfaces;
    try {
      interfaces = net.interfaces();
    } catch (NetException e) {
      return ProbeResult.down("interfaces not read: " + e.getMessage());
    }
    for (NetInterface i : interfaces) {
      if (i.addresses().stream().anyMatch(a -> a.address().equals(local))) {
        if (!i.up()) {
          return ProbeResult.down("interface " + i.name() + " is down");
        }
        if (!i.running()) {
          return ProbeResult.down("interface " + i.name() + " has no carrier (link down)");
        }
        return ProbeResult.up("interface " + i.name() + " up with a carrier");
      }
    }
    return ProbeResult.down(localAddr + " is on no interface of this node");
  }

  static boolean sameNetwork(InetAddress a, InetAddress b, int prefix) {
    return a.getAddress().length == b.getAddress().length
        && network(a, prefix).equals(network(b, prefix));
  }

  /** The first {@code prefix} bits of {@code a}, the rest zero. */
  static InetAddress network(InetAddress a, int prefix) {
    byte[] bytes = a.getAddress();
    for (int i = 0; i < bytes.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      bytes[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e); // a 4- or 16-byte array always makes an address
    }
  }
}
