package org.bulwark.heartbeat;

import org.bulwark.automaton.HeartbeatMessage;

/** The open heartbeat endpoints of one module. */
public interface HeartbeatChannel extends AutoCloseable {

  /** Sends to the peer on every lan; never blocks, never throws (UDP: losses are the norm). */
  void send(HeartbeatMessage message);

  /** Packets dropped because they did not decode or belonged to another module. */
  long malformed();

  /** Messages received and delivered. */
  long received();

  /** Unbinds every lan; idempotent. */
  @Override
  void close();
}
