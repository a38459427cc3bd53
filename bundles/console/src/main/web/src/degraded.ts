// The "degraded" indication of a mirror module (spec C.1, C.7, G.4; docs/replication.md
// "Failures"): a primary that runs ALONE writes its data on this node only. Either its replication
// failed (rfs.degraded up: no failover, the peer waits, recovery is a stop and start here), or its
// secondary or the link is gone (PRIM -> ALONE; the changes are recorded and copied when the
// secondary is back).
import * as api from "./api";
import { h } from "./dom";
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

/** What the badges read of the console's live states. */
export interface StateSource {
  /** The connection node. */
  readonly self: string;
  /** The module's states on a node, null when it is not there. */
  states(module: string, on: string): { local: string | null; remote: string | null } | null;
  reachable(on: string): boolean;
}

/**
 * The badges of the modules on their nodes, with each one's {@code rfs.degraded} read where it runs
 * ALONE: at each state event of the module (on any node: the peer's WAIT of degraded_server follows
 * the primary's failure).
 */
export class DegradedBadges {
  /** rfs.degraded by "node/module", kept while the module runs ALONE there. */
  private readonly values = new Map<string, string>();
  private readonly reading = new Set<string>();

  constructor(private readonly source: StateSource) {}

  /** Reads rfs.degraded where the module runs ALONE among {@code nodes}, then redraws. */
  read(module: string, nodes: string[]): void {
    for (const on of nodes) {
      const key = `${on}/${module}`;
      if (parseState(this.source.states(module, on)?.local)?.name !== "ALONE" || !this.source.reachable(on)) {
        this.values.delete(key);
        continue;
      }
      if (this.reading.has(key)) continue;
      this.reading.add(key);
      void api
        .get<api.ModuleDetail>(`${api.nodeBase(on, this.source.self)}/modules/${encodeURIComponent(module)}`)
        .then((d) => {
          const v = d.resources.find((r) => r.name === "rfs.degraded")?.value;
          if (v) this.values.set(key, v);
          else this.values.delete(key);
        })
        .catch(() => {}) // the node went away: it shows ERROR
        .finally(() => {
          this.reading.delete(key);
          this.render(module, on);
        });
    }
  }

  /**
   * The badge: a button (it takes the focus, and a tap on a phone) named by its label, described by
   * its tooltip, shown on hover, focus with Enter, or tap; Escape hides it. Hidden when not degraded.
   */
  badge(module: string, on: string, id: string): HTMLElement {
    const c = this.source.states(module, on);
    const value = this.values.get(`${on}/${module}`);
    const d = this.source.reachable(on) ? degraded(on, c?.local ?? null, c?.remote ?? null, value) : null;
    if (!d) return h("span", { id, hidden: true });
    const b = h(
      "button",
      {
        type: "button",
        id,
        class: "degraded",
        "aria-label": `degraded: ${d.label}`,
        "aria-describedby": `${id}-tip`,
        "aria-expanded": "false",
        "data-rfs-degraded": value ?? "",
        onclick: () => b.setAttribute("aria-expanded", String(b.getAttribute("aria-expanded") !== "true")),
        onkeydown: (e: Event) => {
          if ((e as KeyboardEvent).key === "Escape") b.setAttribute("aria-expanded", "false");
        },
      },
      "degraded",
      h("span", { role: "tooltip", id: `${id}-tip`, class: "tip" }, d.tip),
    );
    return b;
  }

  /** Redraws the module's badges on a node (monitoring cell, details) when they changed. */
  render(module: string, on: string): void {
    for (const id of [`dg-${on}-${module}`, `dgd-${on}-${module}`]) {
      const old = document.getElementById(id);
      const now = this.badge(module, on, id);
      // the same badge stays as it is: its focus and its open tooltip with it
      if (!old || (old.getAttribute("aria-label") === now.getAttribute("aria-label") && old.textContent === now.textContent)) continue;
      const focused = old.contains(document.activeElement);
      old.replaceWith(now);
      if (focused) now.focus();
    }
  }
}
