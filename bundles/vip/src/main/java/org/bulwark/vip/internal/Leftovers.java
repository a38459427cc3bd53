package org.bulwark.vip.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.config.Vip;
import org.bulwark.api.net.AddressManager;
import org.bulwark.api.net.AddressText;
import org.bulwark.api.net.NetException;
import org.bulwark.api.net.NetInterface;
import org.bulwark.api.net.VirtualAddress;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.vip.VipEvents;
import org.bulwark.api.vip.VipSetup;

/**
 * What a killed run of a module left set on this node, removed when the module is loaded again
 * (stopped: it holds no VIP then). Only addresses that its record names, that its configuration
 * still names, and that the recorded interface still holds; an address recorded but no longer
 * configured is named in a warning and left alone.
 */
final class Leftovers {
  private static final String COMPONENT = ModuleAddresses.COMPONENT;

  private final VipSetup setup;
  private final VipEvents events;
  private final AddressManager net;
  private final VipRecord record;

  Leftovers(VipSetup setup, VipEvents events, AddressManager net, VipRecord record) {
    this.setup = setup;
    this.events = events;
    this.net = net;
    this.record = record;
  }

  /**
   * Removes what a previous run left (spec B.6 and issue 10: a node killed with its VIP set): every
   * address that the record names, the configuration still names, and the recorded interface still
   * holds. Called while the module is stopped: it holds no VIP then.
   */
  void remove() {
    List<VipRecord.Entry> left;
    try {
      left = record.read();
    } catch (IOException e) {
      events.log(EventLevel.E, COMPONENT, "Cannot read " + record + ": " + e.getMessage());
      return;
    }
    if (left.isEmpty()) {
      delete();
      return;
    }
    List<InetAddress> configured = configuredAddresses();
    boolean kept = false;
    for (VipRecord.Entry e : left) {
      String ip = AddressText.of(e.address());
      try {
        Optional<NetInterface.Address> on = onDevice(e);
        if (on.isEmpty()) {
          continue;
        }
        if (!configured.contains(e.address())) {
          events.log(
              EventLevel.W,
              COMPONENT,
              "Virtual IP "
                  + ip
                  + " set by a previous run is still on "
                  + e.device()
                  + " but no longer configured: left as it is (ip addr del "
                  + ip
                  + "/"
                  + on.get().prefixLength()
                  + " dev "
                  + e.device()
                  + ")");
          continue;
        }
        net.remove(VirtualAddress.of(e.device(), e.address(), on.get().prefixLength()));
        events.log(
            EventLevel.E,
            COMPONENT,
            "Virtual IP " + ip + " removed from " + e.device() + ": left set by a previous run");
      } catch (NetException x) {
        kept = true;
        events.log(
            EventLevel.E,
            COMPONENT,
            "Virtual IP " + ip + " left by a previous run cannot be removed: " + x.getMessage());
      }
    }
    if (!kept) {
      delete();
    }
  }

  private Optional<NetInterface.Address> onDevice(VipRecord.Entry e) throws NetException {
    return net.find(e.device()).stream()
        .flatMap(i -> i.addresses().stream())
        .filter(a -> a.address().equals(e.address()))
        .findFirst();
  }

  private List<InetAddress> configuredAddresses() {
    List<InetAddress> out = new ArrayList<>();
    for (Vip.Address a : setup.vip().addresses()) {
      try {
        out.add(Placement.resolve(a.addr()));
      } catch (NetException e) {
        // a name that does not resolve names nothing here
      }
    }
    return out;
  }

  private void delete() {
    try {
      record.delete();
    } catch (IOException e) {
      events.log(EventLevel.W, COMPONENT, "Cannot delete " + record + ": " + e.getMessage());
    }
  }
}
