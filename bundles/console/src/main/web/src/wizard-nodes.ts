// Step 3 of the module wizard: the nodes of the applied cluster.xml to apply the module on, each
// with the module's state there; only those where it is STOP (or not configured yet) can be chosen
// (spec B.0, G.4), the others show why.
import * as api from "./api";
import { type ClusterNode, parseClusterState } from "./cluster";
import { h } from "./dom";
import { type NodeModuleState, applyRefusal, moduleStateOn, stateLabel } from "./node-states";

export interface NodeChooser {
  /** Reads the cluster's nodes and the module's state on each; chooses every node it may. */
  load(module: string): Promise<void>;
  /** Reads the states again (just before applying), unchooses the refused nodes, redraws. */
  refresh(module: string): Promise<void>;
  view(): HTMLElement;
  /** The chosen nodes, in the cluster's order. */
  targets(): string[];
  /** "node2 is ALONE (Ready), not STOP: …" for each node that cannot be applied on. */
  refused(): string[];
  /** A server of a result ("http://10.0.0.2:9010") as its node ("node2 (10.0.0.2)"). */
  nameOf(server: string): string;
}

export function nodeChooser(allowed: boolean): NodeChooser {
  // the nodes of the applied cluster.xml, read again: the cluster wizard may just have changed it
  let nodes: ClusterNode[] = [];
  const chosen = new Set<string>();
  const states = new Map<string, NodeModuleState>();
  const refusal = (node: string) => applyRefusal(states.get(node));

  async function readStates(module: string): Promise<void> {
    const read = await Promise.all(nodes.map((n) => moduleStateOn(n.name, module)));
    states.clear();
    nodes.forEach((n, i) => {
      states.set(n.name, read[i]);
      if (refusal(n.name)) chosen.delete(n.name);
    });
  }

  function view(): HTMLElement {
    if (!nodes.length) {
      return h("p", { class: "readonly", id: "no-cluster" }, "No cluster configuration is applied: configure the cluster first to apply the module on its nodes.");
    }
    return h(
      "fieldset",
      { id: "module-nodes" },
      h("legend", {}, "Apply on"),
      ...nodes.map((n) => {
        const why = refusal(n.name);
        const label = stateLabel(states.get(n.name));
        const box = h("input", { type: "checkbox", id: `apply-${n.name}`, name: "nodes", value: n.name, checked: chosen.has(n.name), disabled: !allowed || why !== null, "aria-describedby": `apply-${n.name}-state` });
        box.addEventListener("change", () => (box.checked ? chosen.add(n.name) : chosen.delete(n.name)));
        return h(
          "label",
          { for: `apply-${n.name}` },
          box,
          ` ${n.name} (${n.addr}) `,
          // inline: Pico pulls a <small> after an input up under it
          h("span", { id: `apply-${n.name}-state`, class: why ? "node-state error" : "node-state", "data-state": label }, why ?? label),
        );
      }),
    );
  }

  return {
    async load(module) {
      try {
        const state = await api.get<{ output: string }>("/cluster/state");
        nodes = parseClusterState(state.output ?? "");
      } catch {
        nodes = [];
      }
      chosen.clear();
      for (const n of nodes) chosen.add(n.name);
      await readStates(module);
    },
    async refresh(module) {
      await readStates(module);
      document.getElementById("module-nodes")?.replaceWith(view());
    },
    view,
    targets: () => nodes.filter((n) => chosen.has(n.name)).map((n) => n.name),
    refused: () => nodes.filter((n) => refusal(n.name)).map((n) => `${n.name} ${refusal(n.name)}`),
    nameOf(server) {
      let host = server;
      try {
        host = new URL(server).hostname;
      } catch {
        // not a URL
      }
      const n = nodes.find((x) => x.addr === host);
      return n ? `${n.name} (${host})` : server;
    },
  };
}
