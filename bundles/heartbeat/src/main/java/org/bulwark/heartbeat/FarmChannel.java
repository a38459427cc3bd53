package org.bulwark.heartbeat;

import org.bulwark.automaton.farm.Pulse;

/** The bound farm membership endpoints of one module. Close it when the module stops. */
public interface FarmChannel extends AutoCloseable {

  /** Sends a pulse to every other farm node on every lan (spec D.2). */
  void send(Pulse pulse);

  /** Pulses received and handed to the receiver. */
  long received();

  /** Packets dropped because they did not decode, or belong to another module. */
  long malformed();

  /** Well-formed pulses dropped because their sender is unknown or not at its address. */
  long unexpectedSender();

  /** Pulses refused by a peer's kernel (ICMP port unreachable) and reported to the receiver. */
  long refused();

  @Override
  void close();
}
