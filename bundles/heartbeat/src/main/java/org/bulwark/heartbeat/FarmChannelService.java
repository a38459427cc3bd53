package org.bulwark.heartbeat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bulwark.automaton.farm.Pulse;

/**
 * Opens the farm membership endpoints of farm modules (spec D.2, G.9: UDP {@code 4803 + (id − 1) ×
 * 3}, or {@code <farm port>}). One shared I/O thread serves every module; the receiver is called on
 * it and must only hand the pulse over (enqueue it on the module's event loop, which steps its
 * {@link org.bulwark.automaton.farm.MembershipDriver}).
 */
public interface FarmChannelService {

  /**
   * One {@code <farm><lan>} of a module: where this node listens, and where every other farm node
   * listens on that lan.
   *
   * @param lan the lan's name, delivered with every pulse received on it
   * @param local this node's address on the lan and the module's farm port
   * @param peers every other farm node's name and address on the lan (same port); a pulse is taken
   *     only from the address of the node it names
   */
  record Link(String lan, InetSocketAddress local, Map<String, InetSocketAddress> peers) {
    public Link {
      Objects.requireNonNull(lan, "lan");
      Objects.requireNonNull(local, "local");
      peers = Map.copyOf(peers);
    }
  }

  /** Called with each well-formed pulse of the module from a known node, and its lan. */
  @FunctionalInterface
  interface Receiver {
    void received(String lan, Pulse pulse);

    /**
     * The kernel at {@code node}'s address on {@code lan} refused a pulse: ICMP port unreachable on
     * the socket connected to that node's farm port, so no process listens there (docs/farm.md "Two
     * detections"). Other errors (host or network unreachable, from a router) are not reported.
     * Called on the I/O thread like {@link #received}; hand it over the same way.
     */
    default void refused(String lan, String node) {}
  }

  /**
   * Binds every link's local address, where the peers' pulses arrive, and connects one socket per
   * peer and link, from which this node's pulses leave (an ephemeral port on the same address), so
   * that the peer's kernel's refusal comes back to the socket of that one peer. Pulses of another
   * module, packets that do not decode, and pulses whose claimed sender is not a farm node at that
   * address are dropped and counted.
   *
   * @throws IOException naming the module, lan and address when one cannot be bound (nothing stays
   *     bound then)
   */
  FarmChannel open(String module, List<Link> links, Receiver receiver) throws IOException;
}
