// The "degraded" indication of a mirror module (spec C.1, C.7, G.4; docs/replication.md
// "Failures"): a primary that runs ALONE writes its data on this node only. Either its replication
// failed (rfs.degraded up: no failover, the peer waits, recovery is a stop and start here), or its
// secondary or the link is gone (PRIM -> ALONE; the changes are recorded and copied when the
// secondary is back).
import { parseState } from "./states";

export interface Degraded {
  /** The badge's accessible label. */
  label: string;
  /** What the tooltip explains. */
  tip: string;
}

/**
 * Whether a module on a node is degraded, from its local state, its peer's state as that node heard
 * it, and its resource {@code rfs.degraded} (undefined when not read).
 */
export function degraded(on: string, local: string | null, remote: string | null, rfsDegraded?: string): Degraded | null {
  if (parseState(local)?.name !== "ALONE") return null;
  if (rfsDegraded === "up") {
    return {
      label: `replication failed on ${on}`,
      tip:
        `Replication failed on ${on} (rfs.degraded up): it runs the application without replicating, ` +
        "and its peer waits (degraded_server). Fix the cause (see the module log), then stop and start the module on " +
        `${on}: its peer is then copied in full.`,
    };
  }
  const peer = parseState(remote)?.name;
  const heard = !peer || peer === "UNKNOWN" ? "not heard from" : peer;
  return {
    label: `not replicated: ${on} runs alone`,
    tip:
      `${on} runs the application alone: its changes are not replicated (its peer: ${heard}). ` +
      "They are recorded and copied to the peer when it starts again as secondary.",
  };
}
