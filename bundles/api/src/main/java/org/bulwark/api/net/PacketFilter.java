package org.bulwark.api.net;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The kernel filter of farm modules (spec D.3): per module, a table of its own in which, for every
 * rule, packets to the VIP whose key hashes ({@link BucketHash}) into a bucket this node does not
 * hold are dropped before the IP stack sees them. Every node holds the VIP; each keeps its share.
 */
@ProviderType
public interface PacketFilter {

  /**
   * Makes the kernel hold exactly {@code table} for its module: created, or replaced as a whole in
   * one transaction (a packet sees the old filter or the new one, never none and never a mix), so a
   * membership change moves only the buckets whose owner changed. Refuses a table with {@link
   * FilterTable#problems()} or naming an interface that does not exist, leaving the kernel as it
   * was.
   */
  void apply(FilterTable table) throws NetException;

  /** Removes the module's table (module stop). Returns whether there was one. */
  boolean remove(String module) throws NetException;

  /**
   * Removes what a previous run of this module left in the kernel (a node killed with its table in
   * place), before the module starts. Returns whether there was something.
   */
  boolean cleanLeftovers(String module) throws NetException;

  /** The buckets the kernel holds for the module, empty when it has no table. */
  Optional<BucketView> view(String module) throws NetException;
}
