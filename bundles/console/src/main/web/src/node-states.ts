// The module's state on each node of the cluster, for the module wizard's "Save and apply": SafeKit
// applies a configuration only where the module is STOP (spec B.0, G.4), so the other nodes are
// shown with their state and cannot be chosen. A node without the module gets it installed by the
// apply (spec F.5); a node that does not answer cannot be applied on.
import * as api from "./api";

export type NodeModuleState =
  /** the module's state there (STOP, WAIT, ALONE …), null when it is not configured there (not installed, or installed and never configured) */
  | { state: string | null; readiness?: string }
  /** the node did not answer */
  | { error: string };

/** The module's state on {@code node}, read through this node (/nodes/<node>/modules). */
export async function moduleStateOn(node: string, module: string): Promise<NodeModuleState> {
  try {
    const rows = await api.get<api.ModuleRow[]>(`/nodes/${encodeURIComponent(node)}/modules`);
    const row = rows.find((r) => r.name === module);
    return row ? { state: row.state, readiness: row.readiness } : { state: null };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/** Why the configuration cannot be applied on a node in this state ("node2 …"), or null. */
export function applyRefusal(s: NodeModuleState | undefined): string | null {
  if (!s) return null;
  if ("error" in s) return `is unreachable: ${s.error}`;
  if (s.state === null || s.state === "STOP") return null;
  return `is ${s.state}${s.readiness ? ` (${s.readiness})` : ""}, not STOP: stop the module there to apply its configuration`;
}

/** The state shown next to a node. */
export function stateLabel(s: NodeModuleState | undefined): string {
  if (!s) return "";
  if ("error" in s) return "unreachable";
  return s.state ?? "not configured";
}
