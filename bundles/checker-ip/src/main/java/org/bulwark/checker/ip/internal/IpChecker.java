package org.bulwark.checker.ip.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.checker.CheckerContext;
import org.bulwark.api.checker.CheckerProvider;
import org.bulwark.api.checker.ProbeResult;
import org.bulwark.api.checker.Watch;
import org.bulwark.api.config.Check;
import org.bulwark.api.net.AddressManager;
import org.bulwark.api.net.MacAddress;
import org.bulwark.api.net.NetException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code <ip>} (spec B.15): the address must still be on an interface of this node, and, for IPv4,
 * answered by no other host of its link (an ARP probe, RFC 5227: another host holding it too is a
 * conflict); resource {@code ip.<ident>}, process {@code ipcheck}, while the module is primary
 * ({@code when="prim"} or {@code both}; rule {@code ip_failure}: stopstart). The checks generated
 * by {@code <virtual_addr check="on">} are the VIP's own ({@code bulwark-vip}).
 */
@Component(service = CheckerProvider.class)
public final class IpChecker implements CheckerProvider {
  static final String BY = "ipcheck";

  /** How long an ARP probe waits for another holder. */
  static final Duration PROBE_WAIT = Duration.ofMillis(500);

  private final AddressManager net;

  @Activate
  public IpChecker(@Reference AddressManager net) {
    this.net = net;
  }

  @Override
  public String type() {
    return "ip";
  }

  @Override
  public List<Watch> checks(CheckerContext context) {
    return context.config().check().ip().stream().map(this::watch).toList();
  }

  public Watch watch(Check.Ip ip) {
    return Watch.of(
        "ip." + ip.ident(),
        BY,
        Watch.phase(ip.when()),
        ip.interval(),
        PROBE_WAIT.plusSeconds(1),
        timeout -> present(ip.addr()));
  }

  ProbeResult present(String addr) {
    try {
      InetAddress address = InetAddress.getByName(addr);
      Optional<String> device = net.holder(address);
      if (device.isEmpty()) {
        return ProbeResult.down(addr + " is not on any interface of this node");
      }
      if (address instanceof Inet4Address v4) {
        List<MacAddress> others = net.probe(device.get(), v4, PROBE_WAIT);
        if (!others.isEmpty()) {
          return ProbeResult.down(addr + " is also held by " + others + " on " + device.get());
        }
      }
      return ProbeResult.up(addr + " on " + device.get());
    } catch (UnknownHostException e) {
      return ProbeResult.down(addr + " does not resolve");
    } catch (NetException e) {
      return ProbeResult.down(addr + " not checked: " + e.getMessage());
    }
  }
}
