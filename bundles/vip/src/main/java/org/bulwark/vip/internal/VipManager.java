package org.bulwark.vip.internal;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.bulwark.api.config.HostNetwork;
import org.bulwark.api.env.NodeEnvironment;
import org.bulwark.api.net.AddressManager;
import org.bulwark.api.net.AddressText;
import org.bulwark.api.net.NetException;
import org.bulwark.api.net.NetInterface;
import org.bulwark.api.net.PacketFilter;
import org.bulwark.api.vip.FarmVip;
import org.bulwark.api.vip.FarmVipSetup;
import org.bulwark.api.vip.ModuleVip;
import org.bulwark.api.vip.VipEvents;
import org.bulwark.api.vip.VipService;
import org.bulwark.api.vip.VipSetup;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's {@link VipService}: one {@link ModuleAddresses} per mirror module with a {@code
 * <vip>}, one {@link ModuleFarm} per farm module, over the network driver's {@link AddressManager}
 * and {@link PacketFilter}. Also this node's {@link HostNetwork}: {@code safekit config} checks a
 * module's interfaces and addresses against what this node has and what its modules hold.
 */
@Component(service = {VipService.class, HostNetwork.class})
public final class VipManager implements VipService, HostNetwork {
  private static final Logger LOG = LoggerFactory.getLogger(VipManager.class);

  private final AddressManager net;
  private final PacketFilter filter;
  private final NodeEnvironment node;
  private final Timers timers;
  private final ScheduledExecutorService executor;
  private final Map<String, ModuleAddresses> modules = new ConcurrentHashMap<>();
  private final Map<String, ModuleFarm> farms = new ConcurrentHashMap<>();

  @Activate
  public VipManager(
      @Reference AddressManager net,
      @Reference PacketFilter filter,
      @Reference NodeEnvironment node) {
    this.net = net;
    this.filter = filter;
    this.node = node;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "vip-announcements");
              t.setDaemon(true);
              return t;
            });
    this.timers = scheduled(executor);
  }

  /** For tests: a driver, the node, and timers of the test's own. */
  VipManager(AddressManager net, NodeEnvironment node, Timers timers) {
    this(net, null, node, timers);
  }

  /** For tests: a driver and a filter, the node, and timers of the test's own. */
  VipManager(AddressManager net, PacketFilter filter, NodeEnvironment node, Timers timers) {
    this.net = net;
    this.filter = filter;
    this.node = node;
    this.executor = null;
    this.timers = timers;
  }

  @Deactivate
  void deactivate() {
    modules.values().forEach(ModuleAddresses::close);
    farms.values().forEach(ModuleFarm::close);
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  @Override
  public ModuleVip open(VipSetup setup, VipEvents events) {
    ModuleAddresses m = new ModuleAddresses(setup, events, net, timers);
    m.removeLeftovers();
    ModuleAddresses previous = modules.put(setup.module(), m);
    if (previous != null) {
      previous.close();
    }
    return new ModuleVip() {
      @Override
      public void set() throws java.io.IOException {
        m.set();
      }

      @Override
      public void remove() throws java.io.IOException {
        m.remove();
      }

      @Override
      public List<String> held() {
        return m.held();
      }

      @Override
      public void close() {
        m.close();
        modules.remove(setup.module(), m);
      }
    };
  }

  @Override
  public FarmVip openFarm(FarmVipSetup setup, VipEvents events) {
    ModuleFarm m = new ModuleFarm(setup, events, net, filter, timers);
    m.removeLeftovers();
    farms.put(setup.module(), m);
    return m;
  }

  @Override
  public Optional<String> interfaceProblem(String name) {
    try {
      List<NetInterface> all = net.interfaces();
      if (all.stream().anyMatch(i -> i.name().equals(name))) {
        return Optional.empty();
      }
      return Optional.of(
          "no interface named '"
              + name
              + "' on this node; its interfaces: "
              + String.join(", ", all.stream().map(NetInterface::name).toList()));
    } catch (NetException e) {
      LOG.warn("interfaces not checked: {}", e.getMessage());
      return Optional.empty(); // what cannot be read is not held against the configuration
    }
  }

  @Override
  public Optional<String> localAddressProblem(String address) {
    InetAddress local;
    try {
      local = Placement.resolve(address);
    } catch (NetException e) {
      return Optional.of(e.getMessage());
    }
    try {
      if (net.holder(local).isPresent()) {
        return Optional.empty();
      }
      return Optional.of(
          address + " is not an address of this node: <intf> watches the interface that holds it");
    } catch (NetException e) {
      LOG.warn("addresses not checked: {}", e.getMessage());
      return Optional.empty(); // what cannot be read is not held against the configuration
    }
  }

  @Override
  public Optional<String> addressProblem(String module, String address, Optional<String> device) {
    try {
      InetAddress vip = Placement.resolve(address);
      List<NetInterface> all = net.interfaces();
      Optional<NetInterface> holder =
          all.stream()
              .filter(i -> i.addresses().stream().anyMatch(a -> a.address().equals(vip)))
              .findFirst();
      if (holder.isPresent() && !ownedBy(module, vip)) {
        int prefix =
            holder.get().addresses().stream()
                .filter(a -> a.address().equals(vip))
                .findFirst()
                .map(NetInterface.Address::prefixLength)
                .orElse(Placement.full(vip));
        return Optional.of(
            AddressText.of(vip)
                + " is already used on this node ("
                + holder.get().name()
                + ") by something else than module "
                + module
                + ": choose a free address, or remove it (ip addr del "
                + AddressText.of(vip)
                + "/"
                + prefix
                + " dev "
                + holder.get().name()
                + ")");
      }
      if (device.isEmpty()) {
        Placement.device(device, vip, all); // autodetection must find exactly one interface
      }
      return Optional.empty();
    } catch (NetException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Held by the module now, or named by its record (left by a killed run, removed at start). */
  private boolean ownedBy(String module, InetAddress vip) {
    ModuleAddresses open = modules.get(module);
    if (open != null && open.holds(vip)) {
      return true;
    }
    try {
      return new VipRecord(node.directories().userVar(module).resolve(VipSetup.RECORD)).names(vip);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static Timers scheduled(ScheduledExecutorService executor) {
    return (Duration delay, Runnable task) -> {
      ScheduledFuture<?> f =
          executor.schedule(
              () -> {
                try {
                  task.run();
                } catch (RuntimeException e) {
                  LOG.error("virtual IP task failed", e);
                }
              },
              delay.toNanos(),
              TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    };
  }
}
