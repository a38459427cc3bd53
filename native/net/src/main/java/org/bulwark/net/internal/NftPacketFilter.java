package org.bulwark.net.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bulwark.api.net.BucketView;
import org.bulwark.api.net.FilterTable;
import org.bulwark.api.net.NetException;
import org.bulwark.api.net.PacketFilter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PacketFilter} service over libnftables. Also usable without OSGi: {@code new
 * NftPacketFilter()}.
 *
 * <p>One libnftables context for the life of the instance: the filter tables are owned by its
 * netlink socket ({@code flags owner}), so every change must go through it, and the kernel deletes
 * them when it closes — at {@link #close()}, or when the process dies, after which each module's
 * guard table drops its VIPs' traffic (docs/vip.md).
 */
@Component(service = PacketFilter.class)
public final class NftPacketFilter implements PacketFilter {
  private static final Logger LOG = LoggerFactory.getLogger(NftPacketFilter.class);

  private final Netns ns;

  /** The libnftables context, made on first use in the namespace; guarded by this. */
  private Nftables nft;

  /** The modules whose table this instance installed, removed at deactivation; guarded by this. */
  private final Set<String> installed = new LinkedHashSet<>();

  public NftPacketFilter() {
    this(Netns.CURRENT);
  }

  NftPacketFilter(Netns ns) {
    this.ns = ns;
  }

  @Override
  public synchronized void apply(FilterTable table) throws NetException {
    List<String> problems = table.problems();
    if (!problems.isEmpty()) {
      throw new NetException(
          "filter of module " + table.module() + " refused: " + String.join("; ", problems));
    }
    for (String dev : NftScript.devices(table)) {
      if (ns.call(() -> Libc.if_nametoindex(dev)) == 0) {
        throw new NetException(
            Libc.ENODEV,
            "filter of module " + table.module() + " refused: no interface named '" + dev + "'");
      }
    }
    run(NftScript.replace(table), "programming the filter of module " + table.module());
    installed.add(table.module());
  }

  /**
   * Deletes the module's filter and its guard, those present, in one transaction. Only this context
   * can delete a filter it made ({@code flags owner}); a table left by a run older than the owner
   * flag, or a guard, any context can.
   */
  @Override
  public synchronized boolean remove(String module) throws NetException {
    List<String> present = new ArrayList<>();
    String tables = run("list tables " + NftScript.FAMILY + "\n", "listing tables");
    for (String name : List.of(FilterTable.tableName(module), NftGuard.name(module))) {
      if (listed(tables, name)) {
        present.add(name);
      }
    }
    if (!present.isEmpty()) {
      StringBuilder commands = new StringBuilder();
      present.forEach(
          n ->
              commands
                  .append("delete table ")
                  .append(NftScript.FAMILY)
                  .append(' ')
                  .append(n)
                  .append('\n'));
      run(commands.toString(), "removing the filter of module " + module);
    }
    installed.remove(module);
    return !present.isEmpty();
  }

  @Override
  public synchronized boolean cleanLeftovers(String module) throws NetException {
    boolean present = remove(module);
    if (present) {
      LOG.info(
          "Removed the filter tables {} and {} left by a previous run",
          FilterTable.tableName(module),
          NftGuard.name(module));
    }
    return present;
  }

  @Override
  public synchronized Optional<BucketView> view(String module) throws NetException {
    String name = FilterTable.tableName(module);
    if (!exists(name)) {
      return Optional.empty();
    }
    String listing = run("list table " + NftScript.FAMILY + " " + name + "\n", "reading " + name);
    return Optional.of(
        new BucketView(module, name, NftListing.groups(listing), NftListing.forwards(listing)));
  }

  private boolean exists(String table) throws NetException {
    return listed(run("list tables " + NftScript.FAMILY + "\n", "listing tables"), table);
  }

  private static boolean listed(String tables, String table) {
    return tables
        .lines()
        .anyMatch(l -> l.strip().equals("table " + NftScript.FAMILY + " " + table));
  }

  private String run(String commands, String what) throws NetException {
    return ns.call(
        () -> {
          if (nft == null) {
            nft = new Nftables();
          }
          return nft.run(commands, what);
        });
  }

  /** Bundle stop: no filter stays behind a stopped driver. */
  @Deactivate
  synchronized void deactivate() {
    for (String module : List.copyOf(installed)) {
      try {
        remove(module);
      } catch (NetException e) {
        LOG.error("Cannot remove the filter of module {} at deactivation", module, e);
      }
    }
    close();
  }

  /** Frees the libnftables context (tests; the bundle's deactivation). */
  synchronized void close() {
    if (nft != null) {
      Nftables n = nft;
      nft = null;
      try {
        ns.call(
            () -> {
              n.close();
              return null;
            });
      } catch (NetException e) {
        LOG.warn("Cannot free the nftables context", e);
      }
    }
  }
}
