package org.bulwark.api.vip;

import java.io.IOException;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The virtual IPs of one module on this node. The module runtime calls it from its plans (spec
 * E.4): {@link #set} after the transition to ALONE or PRIM and before the application starts,
 * {@link #remove} after the application stopped. Calls of one module never overlap.
 */
@ProviderType
public interface ModuleVip extends AutoCloseable {

  /**
   * Sets every virtual address in keepalived's order (STYLE.md): each address put on its interface
   * and announced by a gratuitous ARP at once; then the later announcements of {@code arpreroute}
   * are scheduled; then {@code Virtual IP <vip> set} is logged and the call returns, so that the
   * application starts with its addresses.
   *
   * @throws IOException naming the address and the reason when one cannot be set; the addresses set
   *     before it are removed again: the module holds all of them or none
   */
  void set() throws IOException;

  /**
   * Removes every virtual address: the announcements stop, the connections of each address are
   * reset when {@code tcpreset} is on (spec B.6), then the address leaves its interface. Goes on
   * after a failure and throws the first at the end.
   */
  void remove() throws IOException;

  /** The addresses this module holds now on this node, as {@code 10.0.0.10 on eth0}. */
  List<String> held();

  /**
   * Stops the announcements; the addresses stay where they are (the runtime's plans remove them).
   */
  @Override
  void close();
}
