package org.bulwark.web.internal.events;

/**
 * Whether a node of the cluster answers the node that serves the console: {@code UP}, or {@code
 * ERROR} (spec C.1: the console's state of a node it cannot reach, shown red for every module of
 * the node) with the reason.
 *
 * @param node the node (its name in {@code cluster.xml})
 * @param status {@code UP} or {@code ERROR}
 * @param detail why the node cannot be reached; null when UP
 * @param time when this node found it out, ISO 8601 UTC
 */
public record NodeStatus(String node, String status, String detail, String time)
    implements ClusterEvent {
  public static final String UP = "UP";
  public static final String ERROR = "ERROR";

  @Override
  public String type() {
    return "node";
  }
}
