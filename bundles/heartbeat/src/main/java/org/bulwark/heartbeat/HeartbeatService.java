package org.bulwark.heartbeat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import org.bulwark.automaton.HeartbeatMessage;

/**
 * Opens the heartbeat endpoints of mirror modules. One shared I/O thread serves every module; the
 * receiver is called on it and must only hand the message over (e.g. enqueue it on the module's
 * event loop).
 */
public interface HeartbeatService {

  /**
   * One {@code <heartbeat>} lan of a module (spec B.4): where this node listens and where the peer
   * listens.
   *
   * @param ident the heartbeat's ident, delivered with every message received on this lan
   * @param local this node's address on the lan and the module's port (spec G.9)
   * @param peer the peer node's address on the lan and the same port
   */
  record Link(String ident, InetSocketAddress local, InetSocketAddress peer) {
    public Link {
      Objects.requireNonNull(ident, "ident");
      Objects.requireNonNull(local, "local");
      Objects.requireNonNull(peer, "peer");
    }
  }

  /** Called with each well-formed message of the module, and the ident of the lan it came on. */
  @FunctionalInterface
  interface Receiver {
    void received(String ident, HeartbeatMessage message);
  }

  /**
   * Binds every link's local address. Messages of another module, and packets that do not decode,
   * are dropped and counted.
   *
   * @throws IOException naming the module, lan and address when one cannot be bound (nothing stays
   *     bound then)
   */
  HeartbeatChannel open(String module, List<Link> links, Receiver receiver) throws IOException;
}
