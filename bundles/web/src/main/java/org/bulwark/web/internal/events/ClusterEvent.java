package org.bulwark.web.internal.events;

/**
 * What {@code /events/cluster} sends: a module state on a node ({@link NodeStateEvent}, SSE event
 * {@code state}) or whether a node answers ({@link NodeStatus}, SSE event {@code node}).
 */
public sealed interface ClusterEvent permits NodeStateEvent, NodeStatus {
  /** The node it is about: its name in {@code cluster.xml}. */
  String node();

  /** The name of its Server-Sent Event. */
  String type();
}
