package org.bulwark.vip.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bulwark.api.config.Vip;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.api.farm.FarmStatus;
import org.bulwark.api.farm.GroupAllocation;
import org.bulwark.api.net.AddressManager;
import org.bulwark.api.net.BucketView;
import org.bulwark.api.net.FilterGroup;
import org.bulwark.api.net.FilterTable;
import org.bulwark.api.net.FilterTables;
import org.bulwark.api.net.MacAddress;
import org.bulwark.api.net.NetException;
import org.bulwark.api.net.NetInterface;
import org.bulwark.api.net.PacketFilter;
import org.bulwark.api.net.VirtualMac;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.vip.FarmVip;
import org.bulwark.api.vip.FarmVipSetup;
import org.bulwark.api.vip.VipEvents;

/**
 * The virtual IPs and the kernel filter of one farm module on this node (spec B.6, D.3, D.4). Every
 * farm node holds the {@code alias} addresses; the filter keeps this node's buckets. Opening
 * traffic is keepalived's order again: the table first, closed (so the address never answers
 * unfiltered), then the addresses and their announcements, then the buckets as the membership gives
 * them. Closing is the reverse: every group dropped, connections reset, addresses removed, then the
 * table. Between {@link #set} and {@link #remove} every {@link #program} replaces the whole table
 * in one transaction ({@link PacketFilter#apply}), so only the buckets whose owner changed move.
 */
final class ModuleFarm implements FarmVip {

  static final String COMPONENT = "vipd";

  private final FarmVipSetup setup;
  private final VipEvents events;
  private final AddressManager net;
  private final PacketFilter filter;
  private final Timers timers;

  // guarded by this
  private ModuleAddresses addresses;
  private Map<Vip.Interface, String> devices;
  private boolean set;
  private boolean opened;
  private FarmStatus status;
  private List<String> promiscuous = List.of();
  private FilterTable last;

  ModuleFarm(
      FarmVipSetup setup,
      VipEvents events,
      AddressManager net,
      PacketFilter filter,
      Timers timers) {
    this.setup = setup;
    this.events = events;
    this.net = net;
    this.filter = filter;
    this.timers = timers;
  }

  private String module() {
    return setup.module();
  }

  /**
   * What a killed run left: its table (removed, or the node would keep filtering with a dead
   * membership) and the addresses its record names.
   */
  void removeLeftovers() {
    try {
      if (filter.cleanLeftovers(module())) {
        events.log(
            EventLevel.I,
            COMPONENT,
            "Filter table of " + module() + " removed: left by a previous run");
      }
    } catch (NetException e) {
      events.log(
          EventLevel.E,
          COMPONENT,
          "Filter table left by a previous run of " + module() + " not removed: " + e.getMessage());
    }
    ModuleAddresses.farm(setup.vip(), events, net, timers, Map.of()).removeLeftovers();
  }

  @Override
  public synchronized void set() throws IOException {
    if (set) {
      return;
    }
    devices = devices();
    FilterTable closed = table(Map.of(), Map.of());
    apply(closed);
    Map<String, MacAddress> vmacs = new HashMap<>();
    for (VirtualMac v : closed.vmacs()) {
      vmacs.put(v.device(), v.mac());
    }
    List<String> promisc = closed.vmacs().stream().map(VirtualMac::device).distinct().toList();
    try {
      for (String dev : promisc) {
        // a real NIC's hardware filter must let the virtual MAC's frames in (spec B.6)
        net.setPromiscuous(dev, true);
      }
      promiscuous = promisc;
      addresses = ModuleAddresses.farm(setup.vip(), events, net, timers, vmacs);
      addresses.set();
    } catch (IOException e) {
      undoPromiscuous();
      removeTable();
      throw e;
    }
    set = true;
    opened = !setup.vip().vip().scriptcontrol();
    status = null;
    events.log(
        EventLevel.I,
        COMPONENT,
        "Farm traffic of "
            + module()
            + " set, closed"
            + (opened ? "" : " until the scripts open it (scriptcontrol)"));
  }

  @Override
  public synchronized void program(FarmStatus status) throws IOException {
    if (!set) {
      return; // the module left UP meanwhile: its traffic stays closed
    }
    this.status = status;
    if (!opened) {
      return; // scriptcontrol: closed until SETGROUPS opens it
    }
    Map<String, BucketSet> buckets = new LinkedHashMap<>();
    Map<String, List<FilterGroup.Forward>> forwards = new LinkedHashMap<>();
    Map<String, InetAddress> others = new HashMap<>(setup.nodes());
    others.remove(status.self());
    for (Vip.Group g : setup.vip().vip().groups()) {
      buckets.put(g.name(), status.localBuckets(g.name()));
      if (directed()) {
        Optional<GroupAllocation> a = status.group(g.name());
        a.ifPresent(
            allocation ->
                forwards.put(g.name(), FilterTables.forwards(allocation, status.self(), others)));
      }
    }
    apply(table(buckets, forwards));
  }

  @Override
  public synchronized void open(boolean open) throws IOException {
    opened = open;
    if (!set) {
      return;
    }
    events.log(
        EventLevel.I, COMPONENT, "Farm traffic of " + module() + (open ? " opened" : " closed"));
    if (open && status != null) {
      program(status);
    } else if (!open) {
      apply(table(Map.of(), Map.of()));
    }
  }

  @Override
  public synchronized void remove() throws IOException {
    IOException first = null;
    if (last != null) {
      try {
        apply(table(Map.of(), Map.of())); // closed first: the address never answers unfiltered
      } catch (IOException e) {
        first = e;
      }
    }
    set = false;
    if (addresses != null) {
      try {
        addresses.remove();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    undoPromiscuous();
    if (!removeTable() && first == null) {
      first = new IOException("filter table of " + module() + " cannot be removed: see the log");
    }
    events.log(EventLevel.I, COMPONENT, "Farm traffic of " + module() + " closed");
    if (first != null) {
      throw first;
    }
  }

  @Override
  public Optional<BucketView> view() throws IOException {
    return filter.view(module());
  }

  @Override
  public synchronized List<String> held() {
    return addresses == null ? List.of() : addresses.held();
  }

  @Override
  public synchronized void close() {
    if (addresses != null) {
      addresses.close();
    }
  }

  // ----

  private boolean directed() {
    return setup.vip().vip().interfaces().stream()
        .anyMatch(i -> i.vmacType().orElse(null) == Vip.VmacType.VMAC_DIRECTED);
  }

  private FilterTable table(
      Map<String, BucketSet> buckets, Map<String, List<FilterGroup.Forward>> forwards)
      throws IOException {
    try {
      return FilterTables.of(module(), setup.vip().vip(), devices::get, buckets, forwards);
    } catch (IllegalArgumentException e) {
      throw new IOException("Filter of " + module() + " cannot be built: " + e.getMessage(), e);
    }
  }

  private void apply(FilterTable table) throws IOException {
    try {
      filter.apply(table);
      last = table;
    } catch (NetException e) {
      throw new IOException("Filter of " + module() + " cannot be set: " + e.getMessage(), e);
    }
  }

  /** Each {@code <interface>}'s device: {@code name}, or the one on its first VIP's network. */
  private Map<Vip.Interface, String> devices() throws IOException {
    List<NetInterface> interfaces;
    try {
      interfaces = net.interfaces();
    } catch (NetException e) {
      throw new IOException("Interfaces of this node cannot be read: " + e.getMessage(), e);
    }
    Map<Vip.Interface, String> out = new HashMap<>();
    for (Vip.Interface intf : setup.vip().vip().interfaces()) {
      if (intf.addresses().isEmpty()) {
        continue;
      }
      Vip.Address first = intf.addresses().get(0);
      try {
        InetAddress vip = Placement.resolve(first.addr());
        out.put(intf, Placement.device(intf.name(), vip, interfaces).name());
      } catch (NetException e) {
        throw new IOException("Virtual IP " + first.addr() + " cannot be set: " + e.getMessage());
      }
    }
    return out;
  }

  private void undoPromiscuous() {
    for (String dev : promiscuous) {
      try {
        net.setPromiscuous(dev, false);
      } catch (NetException e) {
        events.log(
            EventLevel.W,
            COMPONENT,
            "Promiscuous mode of " + dev + " not reset: " + e.getMessage());
      }
    }
    promiscuous = List.of();
  }

  /** Removes the table; false (logged) when it cannot be. */
  private boolean removeTable() {
    try {
      filter.remove(module());
      last = null;
      return true;
    } catch (NetException e) {
      events.log(
          EventLevel.E,
          COMPONENT,
          "Filter table of " + module() + " cannot be removed: " + e.getMessage());
      return false;
    }
  }
}
