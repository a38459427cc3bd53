package org.bulwark.web.internal.events;

/**
 * One module state change of this node, as {@code /events} sends it.
 *
 * @param module the module (AM)
 * @param local its local state ({@code PRIM Ready}); null when the module is gone (uninstalled)
 * @param remote the peer's state as this node last heard it ({@code state.remote}, spec B.20), or
 *     null for a module without a peer
 * @param time when the change was seen, ISO 8601 UTC
 */
public record StateEvent(String module, String local, String remote, String time) {}
