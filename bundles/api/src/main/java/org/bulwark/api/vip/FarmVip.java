package org.bulwark.api.vip;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.bulwark.api.farm.FarmStatus;
import org.bulwark.api.net.BucketView;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The virtual IPs and the kernel filter of one farm module on this node (spec B.6, D.3, D.4). The
 * module runtime coordinates: it calls {@link #set} entering UP (just before {@code start_both}),
 * {@link #program} at every membership change, {@link #remove} leaving UP (just after {@code
 * stop_both}); this service holds the state. Calls of one module never overlap.
 */
@ProviderType
public interface FarmVip extends AutoCloseable {

  /**
   * Opens the module on this node with its traffic closed: the filter table with every group
   * dropping (so nothing reaches the application before the membership gives this node buckets),
   * then every {@code alias} address on its interface ({@code vmac_invisible}: the interface in
   * promiscuous mode, gratuitous ARP with the virtual MAC).
   *
   * @throws IOException naming what cannot be set; what was set before is undone
   */
  void set() throws IOException;

  /**
   * Accepts exactly this node's buckets of {@code status} ({@link FarmStatus#localBuckets}), and in
   * {@code vmac_directed} mode forwards the others to their owner; replaces the filter in one
   * transaction. Ignored while not {@link #set} (a view that arrives after the module left UP).
   */
  void program(FarmStatus status) throws IOException;

  /**
   * {@code scriptcontrol="on"} (spec B.6, D.4): the scripts open ({@code safekit -r saferpc_send
   * vipd SETGROUPS all all all}) or close ({@code … none none none}) the traffic; until they open
   * it, every group stays closed whatever the membership gives. With {@code scriptcontrol="off"}
   * the traffic is open from {@link #set} on and this changes it the same way. Each {@link #set}
   * starts again from the configured default.
   */
  void open(boolean open) throws IOException;

  /**
   * Closes the traffic (every group dropping), resets the VIP's connections ({@code tcpreset}),
   * removes the addresses, then the table. Goes on after a failure and throws the first at the end.
   */
  void remove() throws IOException;

  /** What the kernel holds for the module ({@code safekit -r vip_if_ctrl -l}); empty: no table. */
  Optional<BucketView> view() throws IOException;

  /** The addresses this module holds now on this node, as {@code 10.0.0.10 on eth0}. */
  List<String> held();

  /** Stops the announcements and checks; addresses and table stay (the plans remove them). */
  @Override
  void close();
}
