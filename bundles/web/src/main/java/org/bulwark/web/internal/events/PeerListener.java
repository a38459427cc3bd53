package org.bulwark.web.internal.events;

/** Told what one peer's event stream brings; called on that stream's own thread. */
interface PeerListener {
  /** The peer answered: its current states follow, then each change. */
  void connected();

  /** One module state change of the peer. */
  void state(StateEvent event);

  /** The peer cannot be reached, or its stream ended: {@code why} says which. */
  void lost(String why);
}
