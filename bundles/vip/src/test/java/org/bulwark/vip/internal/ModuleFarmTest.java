package org.bulwark.vip.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bulwark.api.config.Vip;
import org.bulwark.api.farm.BucketSet;
import org.bulwark.api.farm.FarmStatus;
import org.bulwark.api.farm.FarmView;
import org.bulwark.api.farm.GroupAllocation;
import org.bulwark.api.net.BucketView;
import org.bulwark.api.net.FilterGroup;
import org.bulwark.api.net.FilterTable;
import org.bulwark.api.net.PacketFilter;
import org.bulwark.api.store.EventLevel;
import org.bulwark.api.vip.FarmVip;
import org.bulwark.api.vip.FarmVipSetup;
import org.bulwark.api.vip.VipEvents;
import org.bulwark.api.vip.VipSetup;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A farm module's VIP and filter (spec B.6, D.3, D.4): the table closed before the address, the
 * buckets of each view, {@code scriptcontrol}, the closing order, and a killed run's table removed
 * when the module is opened.
 */
public class ModuleFarmTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private final FakeNet net = new FakeNet();
  private final ManualTimers timers = new ManualTimers();
  private final List<String> log = new ArrayList<>();
  private final FakeFilter filter = new FakeFilter();

  /** Records applied tables in {@link FakeNet#calls}, so that the order with addresses shows. */
  final class FakeFilter implements PacketFilter {
    final List<FilterTable> applied = new ArrayList<>();
    boolean leftover;

    @Override
    public void apply(FilterTable table) {
      applied.add(table);
      FilterGroup g = table.groups().get(0);
      net.calls.add("filter " + g.name() + " " + g.buckets().size());
    }

    @Override
    public boolean remove(String module) {
      net.calls.add("filter removed");
      return true;
    }

    @Override
    public boolean cleanLeftovers(String module) {
      boolean was = leftover;
      leftover = false;
      return was;
    }

    @Override
    public Optional<BucketView> view(String module) {
      return Optional.empty();
    }
  }

  @Before
  public void node() throws Exception {
    net.device("lo", "127.0.0.1", 8).device("eth0", "10.0.0.1", 24);
  }

  static Vip farmVip(boolean scriptcontrol) {
    Vip.Interface intf =
        new Vip.Interface(
            true,
            false,
            Duration.ofSeconds(60),
            Duration.ofSeconds(1200),
            Optional.empty(),
            true,
            Optional.of(Vip.VmacType.VMAC_INVISIBLE),
            Optional.empty(),
            List.of(
                new Vip.Address("10.0.0.100", Vip.Where.ALIAS, false, false, Optional.empty())));
    Vip.Group web =
        new Vip.Group(
            "web", List.of(), List.of(new Vip.Rule("*", "80", Vip.Proto.TCP, Vip.Filter.ON_ADDR)));
    return new Vip(true, scriptcontrol, List.of(intf), List.of(web));
  }

  private FarmVip open(boolean scriptcontrol) throws Exception {
    Path record = tmp.getRoot().toPath().resolve(VipSetup.RECORD);
    VipManager manager = new VipManager(net, filter, null, timers);
    return manager.openFarm(
        new FarmVipSetup(
            new VipSetup("farm", farmVip(scriptcontrol), record),
            Map.of(
                "n1", InetAddress.getByName("10.0.0.1"), "n2", InetAddress.getByName("10.0.0.2"))),
        new VipEvents() {
          @Override
          public void log(EventLevel level, String component, String message) {
            log.add(message);
          }
        });
  }

  /** n1 and n2 in the view, n1 owning the first {@code mine} buckets. */
  static FarmStatus status(int mine) {
    List<String> owners = new ArrayList<>();
    for (int b = 0; b < BucketSet.BUCKETS; b++) {
      owners.add(b < mine ? "n1" : "n2");
    }
    TreeMap<String, Long> members = new TreeMap<>(Map.of("n1", 1L, "n2", 1L));
    return new FarmStatus(
        "farm",
        "n1",
        FarmView.of(1, "n1", members),
        List.of(new GroupAllocation("web", "web_0", List.of("n1", "n2"), owners)));
  }

  @Test
  public void closedTableBeforeTheAddress_thenEachViewsBuckets_closedBeforeRemoval()
      throws Exception {
    FarmVip farm = open(false);
    farm.set();
    farm.program(status(128));
    farm.program(status(100));
    farm.remove();
    assertEquals(
        List.of(
            "filter web 0",
            "promiscuous eth0 true",
            "add 10.0.0.100/24 Optional[eth0:farm]",
            "announce 10.0.0.100",
            "filter web 128",
            "filter web 100",
            "filter web 0",
            "tcpreset 10.0.0.100",
            "remove 10.0.0.100/24",
            "promiscuous eth0 false",
            "filter removed"),
        net.calls);
    // vmac_invisible: the virtual MAC of 10.0.0.100 rewrites the VIP's ARP
    assertEquals("5a:fe:0a:00:00:64", filter.applied.get(0).vmacs().get(0).mac().toString());
  }

  @Test
  public void aViewAfterTheRemoval_isIgnored() throws Exception {
    FarmVip farm = open(false);
    farm.set();
    farm.remove();
    net.calls.clear();
    farm.program(status(256));
    assertEquals(List.of(), net.calls);
  }

  @Test
  public void scriptcontrol_closedUntilTheScriptsOpen() throws Exception {
    FarmVip farm = open(true);
    farm.set();
    farm.program(status(128));
    assertEquals(List.of(0), sizes());
    farm.open(true);
    farm.program(status(100));
    farm.open(false);
    assertEquals(List.of(0, 128, 100, 0), sizes());
    farm.remove();
    farm.set(); // a new start: closed again until the scripts open
    farm.program(status(128));
    assertEquals(0, (int) sizes().get(sizes().size() - 1));
  }

  @Test
  public void aKilledRunsTable_isRemovedWhenTheModuleOpens() throws Exception {
    filter.leftover = true;
    open(false);
    assertTrue(
        log.toString(), log.contains("Filter table of farm removed: left by a previous run"));
  }

  private List<Integer> sizes() {
    return filter.applied.stream().map(t -> t.groups().get(0).buckets().size()).toList();
  }
}
