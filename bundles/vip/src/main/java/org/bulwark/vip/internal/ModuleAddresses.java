package org.bulwark.vip.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.config.Vip;
import org.bulwark.api.net.AddressManager;
import org.bulwark.api.net.AddressText;
import org.bulwark.api.net.ArpSchedule;
import org.bulwark.api.net.MacAddress;
import org.bulwark.api.net.NetException;
import org.bulwark.api.net.NetInterface;
import org.bulwark.api.net.VirtualAddress;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.vip.ModuleVip;
import org.bulwark.api.vip.VipEvents;
import org.bulwark.api.vip.VipSetup;

/**
 * The virtual IPs of one mirror module (spec B.6). Becoming primary is keepalived's ordered list
 * (STYLE.md): every address on its interface, each announced by a gratuitous ARP at once, the later
 * announcements of {@code arpreroute} scheduled ({@link ArpSchedule}), then the {@code Virtual IP
 * <vip> set} lines; leaving is the reverse: announcements stopped, connections reset ({@code
 * tcpreset}), addresses removed. The record of what is set is written before the first address and
 * deleted after the last, so that a killed run's leftovers are known at the next start ({@link
 * Leftovers}); while set, {@link IpChecker} watches the addresses.
 */
final class ModuleAddresses implements ModuleVip {

  static final String COMPONENT = "vipplug";

  /** How long a conflict probe listens for another holder's answer. */
  static final Duration PROBE_WAIT = Duration.ofMillis(500);

  private final VipSetup setup;
  private final VipEvents events;
  private final AddressManager net;
  private final Timers timers;
  private final VipRecord record;
  private final IpChecker checker;

  /**
   * Farm modules: every node holds the addresses, so nobody else answering is no conflict (no
   * probe); a {@code vmac_invisible} interface announces its virtual MAC (by device).
   */
  private final boolean farm;

  private final java.util.Map<String, MacAddress> virtualMacs;

  // guarded by this
  private List<Placed> held = List.of();
  private final List<Timers.Cancel> announcements = new ArrayList<>();

  /**
   * An address set, with the schedule of its {@code <interface>}, its {@code check} and its {@code
   * connections}.
   */
  private record Placed(
      VirtualAddress address, ArpSchedule schedule, boolean check, boolean connections) {
    String ip() {
      return AddressText.of(address.address());
    }
  }

  ModuleAddresses(VipSetup setup, VipEvents events, AddressManager net, Timers timers) {
    this(setup, events, net, timers, false, java.util.Map.of());
  }

  /** A farm module's addresses: no conflict probe, announced with the virtual MACs given. */
  static ModuleAddresses farm(
      VipSetup setup,
      VipEvents events,
      AddressManager net,
      Timers timers,
      java.util.Map<String, MacAddress> virtualMacs) {
    return new ModuleAddresses(setup, events, net, timers, true, virtualMacs);
  }

  private ModuleAddresses(
      VipSetup setup,
      VipEvents events,
      AddressManager net,
      Timers timers,
      boolean farm,
      java.util.Map<String, MacAddress> virtualMacs) {
    this.farm = farm;
    this.virtualMacs = java.util.Map.copyOf(virtualMacs);
    this.setup = setup;
    this.events = events;
    this.net = net;
    this.timers = timers;
    this.record = new VipRecord(setup.state());
    this.checker = new IpChecker(events, net, timers);
  }

  @Override
  public synchronized void set() throws IOException {
    if (!held.isEmpty()) {
      return; // set already: a plan never sets twice, a retried one must not fail
    }
    List<Placed> wanted = place();
    record.write(wanted.stream().map(Placed::address).toList());
    List<Placed> done = new ArrayList<>();
    for (Placed p : wanted) {
      try {
        if (!net.add(p.address())) {
          events.log(
              EventLevel.I,
              COMPONENT,
              "Virtual IP " + p.ip() + " already on " + p.address().device() + ": kept");
        }
      } catch (NetException e) {
        undo(done);
        throw new IOException(
            "Virtual IP "
                + p.ip()
                + " cannot be set on "
                + p.address().device()
                + ": "
                + e.getMessage());
      }
      done.add(p);
      announce(p);
    }
    held = List.copyOf(done);
    for (Placed p : held) {
      scheduleAnnouncement(p, Duration.ZERO);
      events.log(EventLevel.I, COMPONENT, "Virtual IP " + p.ip() + " set");
    }
    if (!farm) {
      List<Placed> probed = held;
      announcements.add(timers.schedule(Duration.ZERO, () -> probeConflicts(probed)));
    }
    checker.start(
        held.stream()
            .map(p -> new IpChecker.Watched(p.address(), p.check(), p.connections()))
            .toList());
  }

  /** Every configured address placed on this node's interfaces, or why one cannot be. */
  private List<Placed> place() throws IOException {
    List<NetInterface> interfaces = net.interfaces();
    List<Placed> out = new ArrayList<>();
    for (Vip.Interface intf : setup.vip().interfaces()) {
      for (Vip.Address a : intf.addresses()) {
        try {
          out.add(
              new Placed(
                  Placement.place(setup.module(), intf, a, interfaces),
                  ArpSchedule.of(intf),
                  a.check(),
                  a.connections()));
        } catch (NetException e) {
          throw new IOException("Virtual IP " + a.addr() + " cannot be set: " + e.getMessage());
        }
      }
    }
    return out;
  }

  /** A failed set leaves nothing: the module holds all its addresses or none. */
  private void undo(List<Placed> done) {
    for (int i = done.size() - 1; i >= 0; i--) {
      Placed p = done.get(i);
      try {
        net.remove(p.address());
      } catch (NetException e) {
        events.log(
            EventLevel.E,
            COMPONENT,
            "Virtual IP " + p.ip() + " cannot be removed from " + p.address().device() + ": " + e);
        return; // the record keeps naming it: the next start removes it
      }
    }
    deleteRecord();
  }

  @Override
  public synchronized void remove() throws IOException {
    checker.stop();
    stopAnnouncements();
    IOException first = null;
    List<Placed> left = new ArrayList<>();
    for (Placed p : held) {
      InetAddress ip = p.address().address();
      try {
        if (setup.vip().tcpreset()) {
          int n = net.resetConnections(ip);
          events.log(
              EventLevel.I, COMPONENT, "Reset " + n + " TCP connections of virtual IP " + p.ip());
        }
        boolean was = net.remove(p.address());
        events.log(
            EventLevel.I,
            COMPONENT,
            was
                ? "Virtual IP " + p.ip() + " removed"
                : "Virtual IP " + p.ip() + " was no longer on " + p.address().device());
      } catch (NetException e) {
        left.add(p);
        String message =
            "Virtual IP "
                + p.ip()
                + " cannot be removed from "
                + p.address().device()
                + ": "
                + e.getMessage();
        events.log(EventLevel.E, COMPONENT, message);
        if (first == null) {
          first = new IOException(message, e);
        }
      }
    }
    held = List.copyOf(left);
    if (held.isEmpty()) {
      deleteRecord();
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public synchronized List<String> held() {
    return held.stream().map(p -> p.ip() + " on " + p.address().device()).toList();
  }

  /** Whether this module holds {@code address} now. */
  synchronized boolean holds(InetAddress address) {
    return held.stream().anyMatch(p -> p.address().address().equals(address));
  }

  @Override
  public synchronized void close() {
    checker.stop();
    stopAnnouncements();
  }

  /**
   * Removes what a previous run left (a node process killed while primary); see {@link Leftovers}.
   */
  void removeLeftovers() {
    new Leftovers(setup, events, net, record).remove();
  }

  // ---- announcements

  /**
   * One gratuitous ARP for an IPv4 address, one unsolicited neighbour advertisement for an IPv6 one
   * (spec B.6, D.3: the kernel sends none for an address added without duplicate address
   * detection); a failure is logged, the address stays.
   */
  private void announce(Placed p) {
    String device = p.address().device();
    Optional<MacAddress> mac = Optional.ofNullable(virtualMacs.get(device));
    try {
      if (p.address().address() instanceof Inet4Address v4) {
        net.announce(device, v4, mac);
      } else if (p.address().address() instanceof Inet6Address v6) {
        net.announce(device, v6, mac);
      }
    } catch (NetException e) {
      events.log(
          EventLevel.W,
          COMPONENT,
          (p.address().address() instanceof Inet4Address
                  ? "Gratuitous ARP"
                  : "Unsolicited neighbour advertisement")
              + " for virtual IP "
              + p.ip()
              + " not sent: "
              + e.getMessage());
    }
  }

  /** The next announcement of {@code arpreroute} after {@code last} (since the VIP was set). */
  private void scheduleAnnouncement(Placed p, Duration last) {
    Optional<Duration> next = p.schedule().next(last.plusNanos(1));
    if (next.isEmpty()) {
      return;
    }
    Duration at = next.get();
    announcements.add(timers.schedule(at.minus(last), () -> announceAgain(p, at)));
  }

  private synchronized void announceAgain(Placed p, Duration at) {
    if (!held.contains(p)) {
      return; // removed meanwhile
    }
    announce(p);
    scheduleAnnouncement(p, at);
  }

  private void stopAnnouncements() {
    announcements.forEach(Timers.Cancel::cancel);
    announcements.clear();
  }

  /**
   * After a takeover, whoever else still answers ARP for a VIP (a node whose process was killed
   * with the VIP set keeps it until its next start): said once in the log, the addresses stay.
   */
  private void probeConflicts(List<Placed> probed) {
    for (Placed p : probed) {
      if (!(p.address().address() instanceof Inet4Address v4) || !stillHeld(p)) {
        continue;
      }
      try {
        List<MacAddress> others = net.probe(p.address().device(), v4, PROBE_WAIT);
        if (!others.isEmpty()) {
          events.log(
              EventLevel.W,
              COMPONENT,
              "Virtual IP "
                  + p.ip()
                  + " is also answered by "
                  + others
                  + " on "
                  + p.address().device()
                  + ": another node holds it too (a node killed with its VIP set keeps it until"
                  + " its next start)");
        }
      } catch (NetException e) {
        events.log(
            EventLevel.D, COMPONENT, "Virtual IP " + p.ip() + " not probed: " + e.getMessage());
      }
    }
  }

  private synchronized boolean stillHeld(Placed p) {
    return held.contains(p);
  }

  private void deleteRecord() {
    try {
      record.delete();
    } catch (IOException e) {
      events.log(EventLevel.W, COMPONENT, "Cannot delete " + record + ": " + e.getMessage());
    }
  }
}
