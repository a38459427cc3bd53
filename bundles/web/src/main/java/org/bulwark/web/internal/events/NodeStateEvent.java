package org.bulwark.web.internal.events;

/**
 * One module state change on one node of the cluster, as {@code /events/cluster} sends it.
 *
 * @param node the node (its name in {@code cluster.xml})
 * @param module the module (AM)
 * @param local its state on that node ({@code PRIM Ready}); null when the module is gone there
 * @param remote the node's peer's state as that node last heard it, or null
 * @param time when that node saw the change, ISO 8601 UTC
 */
public record NodeStateEvent(String node, String module, String local, String remote, String time)
    implements ClusterEvent {
  static NodeStateEvent of(String node, StateEvent e) {
    return new NodeStateEvent(node, e.module(), e.local(), e.remote(), e.time());
  }

  @Override
  public String type() {
    return "state";
  }
}
